// The fully connected top that MLP and LeNet share: hidden layers, optional dropout, a softmax layer.
import type { RandomStreams } from '../random/index.js';
import { Dropout, HiddenLayer, LogisticLayer, type Activation, type Layer } from '../nn/index.js';

export interface DenseStackOptions {
  hidden: readonly number[];
  classes: number;
  activation: Activation;
  /** Keep probabilities [input, hidden] for dropout; empty for none. */
  keep?: readonly number[];
}

/**
 * Layers from `inputs` features through `hidden` layers to `classes` probabilities.
 * @example denseStack(rng, 784, { hidden: [500], classes: 10, activation: 'tanh' })
 */
export function denseStack(rng: RandomStreams, inputs: number, options: DenseStackOptions): Layer[] {
  const [keepInput, keepHidden] = options.keep ?? [];
  const layers: Layer[] = [];
  const dropout = (keep: number | undefined) => {
    if (keep !== undefined && keep < 1) layers.push(new Dropout(rng, keep));
  };
  dropout(keepInput);
  let width = inputs;
  options.hidden.forEach((units, i) => {
    layers.push(new HiddenLayer(rng, width, units, { activation: options.activation, name: `hidden${i}` }));
    dropout(keepHidden);
    width = units;
  });
  layers.push(new LogisticLayer(width, options.classes, { name: 'output' }));
  return layers;
}
