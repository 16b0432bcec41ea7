// A fully connected layer h = s(x W + b) (tutorial chapter 5.2), W uniform in ±glorotBound, b zero.
import { zeros, type NDArray } from '../ndarray/index.js';
import type { Variable } from '../graph/variable.js';
import type { RandomStreams } from '../random/index.js';
import { activate } from './activation.js';
import { glorotBound, uniformWeights, type Activation } from './init.js';
import { WeightedLayer } from './layer.js';

export interface HiddenLayerOptions {
  activation?: Activation;
  /** Prefix of the shared variables' names (`hidden0` gives `hidden0.W`, `hidden0.b`). */
  name?: string;
  /** Start from these values instead of a random draw (loading a saved model). */
  W?: NDArray;
  b?: NDArray;
}

/**
 * A fully connected layer with the tutorial's initialisation for its activation.
 * @example const hidden = new HiddenLayer(rng, 784, 500); const h = hidden.forward(x, 'train');
 */
export class HiddenLayer extends WeightedLayer {
  readonly activation: Activation;

  constructor(rng: RandomStreams | null, nIn: number, nOut: number, options: HiddenLayerOptions = {}) {
    const name = options.name ?? 'hidden';
    const activation = options.activation ?? 'tanh';
    const W = options.W ?? (rng ? uniformWeights(rng, [nIn, nOut], glorotBound(nIn, nOut, activation)) : undefined);
    if (!W) throw new Error(`HiddenLayer ${name}: needs a random stream or initial weights W`);
    super(W, options.b ?? zeros([nOut]), name);
    this.activation = activation;
  }

  preActivation(input: Variable): Variable {
    return input.dot(this.W).add(this.b);
  }

  forward(input: Variable): Variable {
    return activate(this.preActivation(input), this.activation);
  }
}
