// RandomStreams: seeded random tensors in graphs. Each draw gets its own Philox stream and a shared
// call counter that advances after every call, so a seed gives the same numbers on every backend.
import type { DType } from '../ndarray/index.js';
import { array } from '../ndarray/index.js';
import { SharedVariable, Variable, Constant } from '../graph/variable.js';
import { add, apply1, asVariable, cos, log, lt, makeVector, mul, sqrt, sub, type TensorLike } from '../ops/index.js';
import { randomUniformOp } from '../ops/random.js';

/** A shape for a draw: numbers, int scalar variables, or an int vector such as x.shape. */
export type ShapeSpec = readonly (number | Variable)[] | Variable;

export class RandomStreams {
  readonly seed: number;
  private streams = 0;

  constructor(seed = 0) {
    if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) throw new Error(`RandomStreams: seed ${seed} must be an integer in [0, 2^32)`);
    this.seed = seed;
  }

  private uniform01(shape: ShapeSpec, dtype: DType): Variable {
    const stream = this.streams++;
    const counter = new SharedVariable(array(0, 'int32'), `rng${this.seed}:${stream}`);
    counter.defaultUpdate = add(counter, 1);
    const vec = shape instanceof Variable ? shape : makeVector(shape.map((d) => (typeof d === 'number' ? asVariable(d, 'int32') : d)));
    const staticShape =
      shape instanceof Variable
        ? shape instanceof Constant
          ? Array.from(shape.value.data)
          : new Array<null>(shape.type.shape[0] ?? 0).fill(null)
        : shape.map((d) => (typeof d === 'number' ? d : d instanceof Constant ? d.value.item() : null));
    return apply1(randomUniformOp, [counter, vec], { seed: this.seed, stream, dtype, shape: staticShape });
  }

  /** Uniform numbers in (low, high). @example rng.uniform([20, 784], 0, 1) */
  uniform(shape: ShapeSpec, low: TensorLike = 0, high: TensorLike = 1, dtype: DType = 'float32'): Variable {
    const u = this.uniform01(shape, dtype);
    return add(mul(u, sub(asVariable(high, dtype), low)), asVariable(low, dtype));
  }

  /** Normal numbers (Box–Muller over two uniform draws). @example rng.normal([10], 0, 0.01) */
  normal(shape: ShapeSpec, mean: TensorLike = 0, std: TensorLike = 1, dtype: DType = 'float32'): Variable {
    const u1 = this.uniform01(shape, dtype);
    const u2 = this.uniform01(shape, dtype);
    const z = mul(sqrt(mul(log(u1), -2)), cos(mul(u2, 2 * Math.PI)));
    return add(mul(z, asVariable(std, dtype)), asVariable(mean, dtype));
  }

  /**
   * Counts of successes in n trials of probability p (p may be an expression, broadcast to shape).
   * @example rng.binomial(x.shape, 1, 1 - corruption).mul(x) // a denoising mask
   */
  binomial(shape: ShapeSpec, n = 1, p: TensorLike = 0.5, dtype: DType = 'float32'): Variable {
    if (!Number.isInteger(n) || n < 1) throw new Error(`binomial: n is ${n}; it must be a positive integer`);
    let total: Variable | undefined;
    for (let i = 0; i < n; i++) {
      const hit = lt(this.uniform01(shape, dtype), asVariable(p, dtype)).astype(dtype);
      total = total ? add(total, hit) : hit;
    }
    return total!;
  }
}
