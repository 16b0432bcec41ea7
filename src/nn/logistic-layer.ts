// Multiclass logistic regression as a layer (tutorial chapter 4): P(Y = i | x) = softmax_i(x W + b),
// with W and b starting at zero, as the tutorial's LogisticRegression does.
import { zeros, type NDArray } from '../ndarray/index.js';
import { SharedVariable, type Variable } from '../graph/variable.js';
import { softmax } from '../ops/index.js';
import type { Layer } from './layer.js';

export interface LogisticLayerOptions {
  name?: string;
  W?: NDArray;
  b?: NDArray;
}

/**
 * A softmax output layer; `forward` gives class probabilities, one row per example.
 * @example const out = new LogisticLayer(500, 10); const p = out.forward(h); const cost = nb.nll(p, y);
 */
export class LogisticLayer implements Layer {
  readonly W: SharedVariable;
  readonly b: SharedVariable;

  constructor(nIn: number, nOut: number, options: LogisticLayerOptions = {}) {
    const name = options.name ?? 'output';
    this.W = new SharedVariable(options.W ?? zeros([nIn, nOut]), `${name}.W`);
    this.b = new SharedVariable(options.b ?? zeros([nOut]), `${name}.b`);
  }

  get params(): SharedVariable[] {
    return [this.W, this.b];
  }

  get weights(): SharedVariable[] {
    return [this.W];
  }

  forward(input: Variable): Variable {
    return softmax(input.dot(this.W).add(this.b));
  }
}
