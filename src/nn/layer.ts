// What every layer offers: its parameters, which of them are weights (penalised by L1/L2, as the
// tutorials penalise W and not b), and a forward pass that may differ between training and testing.
import type { NDArray } from '../ndarray/index.js';
import { SharedVariable, type Variable } from '../graph/variable.js';

/** Training draws noise (dropout masks); testing uses the expected value of that noise. */
export type Mode = 'train' | 'test';

export interface Layer {
  /** Every trainable shared variable, in a fixed order (checkpoints rely on it). */
  readonly params: readonly SharedVariable[];
  /** The parameters that L1/L2 penalties apply to. */
  readonly weights: readonly SharedVariable[];
  /** The symbolic output for a symbolic input. */
  forward(input: Variable, mode: Mode): Variable;
}

/** A layer with weights W and biases b (hidden, softmax, conv-pool), named `${name}.W` and `${name}.b`. */
export abstract class WeightedLayer implements Layer {
  readonly W: SharedVariable;
  readonly b: SharedVariable;

  constructor(W: NDArray, b: NDArray, name: string) {
    this.W = new SharedVariable(W, `${name}.W`);
    this.b = new SharedVariable(b, `${name}.b`);
  }

  get params(): SharedVariable[] {
    return [this.W, this.b];
  }

  get weights(): SharedVariable[] {
    return [this.W];
  }

  /** What the units sum before their non-linearity (x W + b; a conv layer's pooled maps plus b; the logits). */
  abstract preActivation(input: Variable): Variable;

  abstract forward(input: Variable, mode: Mode): Variable;
}
