// Reductions along axes, with keepdims: sum, prod, max, min, argmax, argmin, and mean over them; and the
// running sum along an axis (cumsum).
import { floatOf, normalizeAxis, type DType } from '../ndarray/index.js';
import { TensorType } from '../graph/type.js';
import type { Op, ScalarVariable, Variable } from '../graph/variable.js';
import type { Axes } from '../graph/variable-methods.js';
import { apply1, asVariable, defineOp, opTable, type TensorLike } from './define-op.js';
import { and, cast, div, eq, mul, neq, or } from './elementwise.js';
import { broadcastLike, flatten, shape } from './shape.js';
import { take } from './indexing.js';

export interface ReduceAttrs extends Record<string, unknown> {
  /** Sorted, non-negative axes. */
  axes: number[];
  keepdims: boolean;
}

/** Puts back, as size-1 axes, the axes a reduction removed, so a result broadcasts against its input. */
export function keepReducedAxes(y: Variable, { axes, keepdims }: ReduceAttrs, rank: number): Variable {
  if (keepdims) return y;
  const pattern: (number | 'x')[] = [];
  let next = 0;
  for (let i = 0; i < rank; i++) pattern.push(axes.includes(i) ? 'x' : next++);
  return y.dimshuffle(pattern);
}

function reduceType(name: string, x: TensorType, { axes, keepdims }: ReduceAttrs, dtype: DType): TensorType[] {
  for (const a of axes) normalizeAxis(a, x.rank, name);
  const shape = keepdims
    ? x.shape.map((d, i) => (axes.includes(i) ? 1 : d))
    : x.shape.filter((_, i) => !axes.includes(i));
  return [new TensorType(dtype, shape)];
}

function reduceOp<N extends string>(
  name: N, outDType: (x: DType) => DType, grad?: (x: Variable, yKeep: Variable, gyKeep: Variable) => Variable,
) {
  return defineOp({
    name,
    inputs: ['x'],
    type: ([x], attrs: ReduceAttrs) => reduceType(name, x, attrs, outDType(x.dtype)),
    grad: grad
      ? ([x], [y], [gy], attrs: ReduceAttrs) => {
          if (!gy || x.dtype === 'int32') return [null];
          return [grad(x, keepReducedAxes(y, attrs, x.ndim), keepReducedAxes(gy, attrs, x.ndim))];
        }
      : undefined,
  });
}

const same = (d: DType) => d;
const toInt = () => 'int32' as const;

export interface CumsumAttrs extends Record<string, unknown> {
  axis: number;
  /** Sums from the end of the axis: y[i] = x[i] + ... + x[n-1]. */
  reverse: boolean;
}

/** y[i] = x[0] + ... + x[i] along one axis (Theano's CumOp); its gradient is the running sum the other way. */
export const cumsumOp: Op<CumsumAttrs, 'cumsum'> = defineOp({
  name: 'cumsum',
  inputs: ['x'],
  type: ([x], { axis }: CumsumAttrs) => {
    normalizeAxis(axis, x.rank, 'cumsum');
    return [x];
  },
  grad: ([x], _y, [gy], { axis, reverse }: CumsumAttrs) => [gy && x.dtype !== 'int32' ? apply1(cumsumOp, [gy], { axis, reverse: !reverse }) : null],
});

/**
 * The running sum along `axis` (of the flattened array when no axis is given, as NumPy's).
 * @example nb.cumsum(p, 1) // cumulative probabilities per row, for sampling a category
 */
export function cumsum(x: TensorLike, axis?: number): Variable {
  const v = asVariable(x);
  if (axis === undefined) return apply1(cumsumOp, [flatten(v, 1)], { axis: 0, reverse: false });
  return apply1(cumsumOp, [v], { axis: normalizeAxis(axis, v.ndim, 'cumsum'), reverse: false });
}

/**
 * Where x holds its reduction's result y: equal, or both NaN, so a NaN max or min sends its gradient
 * to the NaN it came from (as max pooling does) instead of dropping it.
 */
const heldAt = (x: Variable, y: Variable) => or(eq(x, y), and(neq(x, x), neq(y, y)));

/** The reduction family's ops, by name. */
export const reduceOps = opTable(
  reduceOp('sum', same, (x, _y, gy) => broadcastLike(gy, x)),
  reduceOp('prod', same, (x, y, gy) => div(mul(gy, y), x)),
  reduceOp('max', same, (x, y, gy) => mul(gy, heldAt(x, y))),
  reduceOp('min', same, (x, y, gy) => mul(gy, heldAt(x, y))),
  reduceOp('argmax', toInt),
  reduceOp('argmin', toInt),
  cumsumOp,
);

export type { Axes };

/** Normalised, sorted axes; all axes when `axis` is null or undefined. */
export function resolveAxes(axis: Axes, rank: number, where: string): number[] {
  if (axis === null || axis === undefined) return Array.from({ length: rank }, (_, i) => i);
  const list = typeof axis === 'number' ? [axis] : [...axis];
  const axes = [...new Set(list.map((a) => normalizeAxis(a, rank, where)))];
  return axes.sort((a, b) => a - b);
}

function reducer(op: Op<ReduceAttrs>) {
  return (x: TensorLike, axis?: Axes, keepdims = false): Variable => {
    const v = asVariable(x);
    return apply1(op, [v], { axes: resolveAxes(axis, v.ndim, op.name), keepdims });
  };
}

/** Sum over `axis` (all axes by default). @example x.sum(1, true) */
export const sum = reducer(reduceOps.sum);
export const prod = reducer(reduceOps.prod);
export const max = reducer(reduceOps.max);
export const min = reducer(reduceOps.min);

/** Index of the largest element along one axis (or of the flattened array). */
export function argmax(x: TensorLike, axis?: number | null, keepdims = false): Variable {
  return reducer(reduceOps.argmax)(x, axis, keepdims);
}
export function argmin(x: TensorLike, axis?: number | null, keepdims = false): Variable {
  return reducer(reduceOps.argmin)(x, axis, keepdims);
}

/** The number of elements along `axes`, as a scalar of `dtype`: a constant when the sizes are known. */
export function countAlong(x: Variable, axes: readonly number[], dtype: DType): Variable {
  const sizes = axes.map((a) => x.type.shape[a]);
  if (sizes.every((d) => d !== null)) return asVariable(sizes.reduce((p, d) => p! * d!, 1)!, dtype);
  return cast(prod(take(shape(x), asVariable(axes.length ? [...axes] : [], 'int32'))), dtype);
}

/** Mean over `axis` (all axes by default); integers average to float32. */
export function mean(x: TensorLike): ScalarVariable;
export function mean(x: TensorLike, axis?: Axes, keepdims?: boolean): Variable;
export function mean(x: TensorLike, axis?: Axes, keepdims = false): Variable {
  const v = asVariable(x);
  const axes = resolveAxes(axis, v.ndim, 'mean');
  const total = sum(v, axes, keepdims);
  return div(cast(total, floatOf(v.dtype)), countAlong(v, axes, floatOf(v.dtype)));
}

/** Variance over `axis` (population variance, as NumPy's default). */
export function variance(x: TensorLike, axis?: Axes, keepdims = false): Variable {
  const v = asVariable(x);
  const centred = v.sub(mean(v, axis, true));
  return mean(centred.mul(centred), axis, keepdims);
}
