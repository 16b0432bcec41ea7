// Multiclass logistic regression as a layer (tutorial chapter 4): P(Y = i | x) = softmax_i(x W + b),
// with W and b starting at zero, as the tutorial's LogisticRegression does.
import { zeros, type NDArray } from '../ndarray/index.js';
import type { Variable } from '../graph/variable.js';
import { softmax } from '../ops/index.js';
import { WeightedLayer } from './layer.js';

export interface LogisticLayerOptions {
  name?: string;
  W?: NDArray;
  b?: NDArray;
}

/**
 * A softmax output layer; `forward` gives class probabilities, one row per example.
 * @example const out = new LogisticLayer(500, 10); const p = out.forward(h); const cost = nb.nll(p, y);
 */
export class LogisticLayer extends WeightedLayer {
  constructor(nIn: number, nOut: number, options: LogisticLayerOptions = {}) {
    super(options.W ?? zeros([nIn, nOut]), options.b ?? zeros([nOut]), options.name ?? 'output');
  }

  preActivation(input: Variable): Variable {
    return input.dot(this.W).add(this.b);
  }

  forward(input: Variable): Variable {
    return softmax(this.preActivation(input));
  }
}
