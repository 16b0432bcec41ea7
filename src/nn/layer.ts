// What every layer offers: its parameters, which of them are weights (penalised by L1/L2, as the
// tutorials penalise W and not b), and a forward pass that may differ between training and testing.
import type { SharedVariable, Variable } from '../graph/variable.js';

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
