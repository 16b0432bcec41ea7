// Method syntax on variables (x.dot(W).add(b).sum()): each method calls the op function of the same name.
// graph/ sits above ops/, so ops/index.ts hands those functions over (provideMethodOps in variable.ts).
import type { DType, NDArray, Nested, TypedArray } from '../ndarray/index.js';

// The variable type is a parameter V (Variable, which extends VariableMethods<Variable>), so that this
// file need not import variable.ts, which imports it. ops/ names these argument types at V = Variable.

/** A tensor argument: a variable, or a plain value that becomes a constant. */
export type TensorLikeOf<V> = V | NDArray | Nested | TypedArray;
/** The axes a reduction runs over: one, several, or all (null or left out). */
export type Axes = number | readonly number[] | null | undefined;
/** Axes of the input in their new order, 'x' for a new broadcastable axis of size 1. */
export type ShufflePattern = readonly (number | 'x')[];
/** One entry of an index: an integer, ':' (everything), a slice, or an int array (advanced). */
export type IndexSpecOf<V> = number | ':' | SliceSpecOf<V> | V | readonly number[];
/** Python's start:stop:step, as `nb.slice` makes it. */
export interface SliceSpecOf<V> {
  start?: number | V | null;
  stop?: number | V | null;
  step?: number | V | null;
}

type Unary<V> = (x: V) => V;
type Binary<V> = (a: TensorLikeOf<V>, b: TensorLikeOf<V>) => V;
type Reduce<V> = (x: V, axis?: Axes, keepdims?: boolean) => V;

/**
 * The op functions the methods call, each taking the variable first (`x.add(y)` is `add(x, y)`,
 * `x.rsub(y)` is `sub(y, x)`).
 */
export interface MethodOps<V> {
  add: Binary<V>; sub: Binary<V>; mul: Binary<V>; div: Binary<V>; pow: Binary<V>;
  maximum: Binary<V>; minimum: Binary<V>;
  lt: Binary<V>; gt: Binary<V>; le: Binary<V>; ge: Binary<V>; eq: Binary<V>; neq: Binary<V>;
  neg: Unary<V>; abs: Unary<V>; sqrt: Unary<V>; square: Unary<V>; exp: Unary<V>; log: Unary<V>; log1p: Unary<V>;
  tanh: Unary<V>; sigmoid: Unary<V>; softplus: Unary<V>; relu: Unary<V>; sign: Unary<V>;
  sum: Reduce<V>; mean: Reduce<V>; max: Reduce<V>; min: Reduce<V>; prod: Reduce<V>; variance: Reduce<V>;
  argmax: (x: V, axis?: number | null, keepdims?: boolean) => V;
  argmin: (x: V, axis?: number | null, keepdims?: boolean) => V;
  dot: Binary<V>;
  transpose: (x: V, perm?: readonly number[]) => V;
  shape: Unary<V>;
  dimshuffle: (x: V, pattern: ShufflePattern) => V;
  reshape: (x: V, spec: readonly (number | V)[] | V) => V;
  flatten: (x: V, ndim?: number) => V;
  at: (x: V, ...specs: IndexSpecOf<V>[]) => V;
  take: (x: V, indices: TensorLikeOf<V>, axis?: number) => V;
  clip: (x: V, low: TensorLikeOf<V>, high: TensorLikeOf<V>) => V;
  cast: (x: V, dtype: DType) => V;
}

/** The methods of Variable that build graphs. */
export abstract class VariableMethods<V> {
  /** This variable, as the op functions take it. */
  protected abstract get self(): V;
  /** The op functions; throws, naming the import that provides them, until ops/ has handed them over. */
  protected abstract get ops(): MethodOps<V>;

  /** this + other, broadcasting. @example x.dot(W).add(b) */
  add(other: TensorLikeOf<V>): V { return this.ops.add(this.self, other); }
  /** this - other */
  sub(other: TensorLikeOf<V>): V { return this.ops.sub(this.self, other); }
  /** other - this (for 1 - p) */
  rsub(other: TensorLikeOf<V>): V { return this.ops.sub(other, this.self); }
  /** this * other, element by element. @example W.mul(0.13) */
  mul(other: TensorLikeOf<V>): V { return this.ops.mul(this.self, other); }
  /** this / other; always a float result, as in Theano's true division */
  div(other: TensorLikeOf<V>): V { return this.ops.div(this.self, other); }
  /** this ** other */
  pow(other: TensorLikeOf<V>): V { return this.ops.pow(this.self, other); }
  /** The larger of this and other, element by element. */
  maximum(other: TensorLikeOf<V>): V { return this.ops.maximum(this.self, other); }
  /** The smaller of this and other, element by element. */
  minimum(other: TensorLikeOf<V>): V { return this.ops.minimum(this.self, other); }

  /** this < other, as int32 ones and zeros (so are the other comparisons). @example p.argmax(1).neq(y).mean() */
  lt(other: TensorLikeOf<V>): V { return this.ops.lt(this.self, other); }
  /** this > other */
  gt(other: TensorLikeOf<V>): V { return this.ops.gt(this.self, other); }
  /** this <= other */
  le(other: TensorLikeOf<V>): V { return this.ops.le(this.self, other); }
  /** this >= other */
  ge(other: TensorLikeOf<V>): V { return this.ops.ge(this.self, other); }
  /** this == other */
  eq(other: TensorLikeOf<V>): V { return this.ops.eq(this.self, other); }
  /** this != other */
  neq(other: TensorLikeOf<V>): V { return this.ops.neq(this.self, other); }

  /** -this */
  neg(): V { return this.ops.neg(this.self); }
  /** |this| */
  abs(): V { return this.ops.abs(this.self); }
  /** The square root. */
  sqrt(): V { return this.ops.sqrt(this.self); }
  /** this * this */
  square(): V { return this.ops.square(this.self); }
  /** e to the power of this. */
  exp(): V { return this.ops.exp(this.self); }
  /** The natural logarithm. */
  log(): V { return this.ops.log(this.self); }
  /** log(1 + this), accurate near 0. */
  log1p(): V { return this.ops.log1p(this.self); }
  /** The hyperbolic tangent. @example x.dot(W).add(b).tanh() */
  tanh(): V { return this.ops.tanh(this.self); }
  /** 1 / (1 + exp(-this)) */
  sigmoid(): V { return this.ops.sigmoid(this.self); }
  /** log(1 + exp(this)), computed without overflow */
  softplus(): V { return this.ops.softplus(this.self); }
  /** max(this, 0) */
  relu(): V { return this.ops.relu(this.self); }
  /** -1, 0 or 1 as this is negative, zero or positive. */
  sign(): V { return this.ops.sign(this.self); }

  /** Sum over `axis` (all axes by default). @example x.sum(1, true) */
  sum(axis?: Axes, keepdims?: boolean): V { return this.ops.sum(this.self, axis, keepdims); }
  /** Mean over `axis` (all axes by default); integers average to float32. */
  mean(axis?: Axes, keepdims?: boolean): V { return this.ops.mean(this.self, axis, keepdims); }
  /** Largest element over `axis` (all axes by default). */
  max(axis?: Axes, keepdims?: boolean): V { return this.ops.max(this.self, axis, keepdims); }
  /** Smallest element over `axis` (all axes by default). */
  min(axis?: Axes, keepdims?: boolean): V { return this.ops.min(this.self, axis, keepdims); }
  /** Product over `axis` (all axes by default). */
  prod(axis?: Axes, keepdims?: boolean): V { return this.ops.prod(this.self, axis, keepdims); }
  /** Variance over `axis` (population variance, as NumPy's default). */
  var(axis?: Axes, keepdims?: boolean): V { return this.ops.variance(this.self, axis, keepdims); }
  /** Index of the largest element along one axis (or of the flattened array). @example p.argmax(1) */
  argmax(axis?: number | null, keepdims?: boolean): V { return this.ops.argmax(this.self, axis, keepdims); }
  /** Index of the smallest element along one axis (or of the flattened array). */
  argmin(axis?: number | null, keepdims?: boolean): V { return this.ops.argmin(this.self, axis, keepdims); }

  /** Matrix product, with vectors treated as rows or columns as in NumPy's dot. @example x.dot(W) */
  dot(other: TensorLikeOf<V>): V { return this.ops.dot(this.self, other); }
  /** The transpose (axes reversed). */
  get T(): V { return this.ops.transpose(this.self); }
  /** The shape at run time, as an int32 vector; the static shape is `type.shape`. */
  get shape(): V { return this.ops.shape(this.self); }
  /** Reverses the axes, or permutes them by `perm`. */
  transpose(perm?: readonly number[]): V { return this.ops.transpose(this.self, perm); }
  /** Reorders axes and inserts ('x') or drops (size-1) broadcastable axes. @example b.dimshuffle(['x', 0]) */
  dimshuffle(pattern: ShufflePattern): V { return this.ops.dimshuffle(this.self, pattern); }
  /**
   * A new shape of the same size; one entry may be -1, entries may be int scalar variables.
   * @example x.reshape([batch, 1, 28, 28])
   */
  reshape(spec: readonly (number | V)[] | V): V { return this.ops.reshape(this.self, spec); }
  /** The trailing axes merged so that `ndim` axes remain (Theano's flatten(outdim)). */
  flatten(ndim?: number): V { return this.ops.flatten(this.self, ndim); }
  /**
   * Indexed like NumPy: integers and slices per axis, or int arrays on the leading axes.
   * @example logp.at(nb.arange(n), y)
   */
  at(...specs: IndexSpecOf<V>[]): V { return this.ops.at(this.self, ...specs); }
  /** Rows picked by integer indices (an embedding lookup), along `axis` (0 by default). */
  take(indices: TensorLikeOf<V>, axis?: number): V { return this.ops.take(this.self, indices, axis); }
  /** This limited to [low, high]. */
  clip(low: TensorLikeOf<V>, high: TensorLikeOf<V>): V { return this.ops.clip(this.self, low, high); }
  /** This converted to `dtype` (float to int truncates toward zero). @example y.astype('float32') */
  astype(dtype: DType): V { return this.ops.cast(this.self, dtype); }
}
