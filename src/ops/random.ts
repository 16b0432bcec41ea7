// The one random primitive: uniform numbers in (0, 1) from a Philox counter-based stream. Normal and
// binomial draws are built from it (random/random-streams.ts), so every backend draws the same numbers.
import { TensorType } from '../graph/type.js';
import { defineOp, opTable, typeError } from './define-op.js';
import type { DType } from '../ndarray/index.js';

export interface RandomUniformAttrs extends Record<string, unknown> {
  seed: number;
  stream: number;
  dtype: DType;
  shape: (number | null)[];
}

export const randomUniformOp = defineOp({
  name: 'randomUniform',
  inputs: ['counter', 'shape'],
  random: true,
  type: ([counter, shape], { dtype, shape: staticShape }: RandomUniformAttrs) => {
    if (counter.rank !== 0 || counter.dtype !== 'int32') throw typeError('randomUniform', ['counter', 'shape'], [counter, shape], 'counter must be an int32 scalar');
    if (shape.rank !== 1 || shape.dtype !== 'int32') throw typeError('randomUniform', ['counter', 'shape'], [counter, shape], 'shape must be an int32 vector');
    if (dtype === 'int32') throw new Error('randomUniform: dtype must be float32 or float64');
    return [new TensorType(dtype, staticShape)];
  },
  // Both inputs are integers: a draw whose shape follows x (rng.uniform(x.shape)) passes no gradient to x.
  grad: () => [null, null],
});

/** The random family's ops, by name. */
export const randomOps = opTable(randomUniformOp);
