// Indexing: basic (integers and slices, possibly symbolic) and advanced (integer arrays on the leading
// axes, as in logp[arange(n), y]), each with the increment op that is its gradient.
import { TensorType, type StaticShape } from '../graph/type.js';
import { applyOp, Constant, Variable, type Op } from '../graph/variable.js';
import type { IndexSpecOf, SliceSpecOf } from '../graph/variable-methods.js';
import { apply1, asVariable, asVariables, broadcastTypes, defineOp, opTable, typeError, type TensorLike } from './define-op.js';
import { zerosLike } from './shape.js';

/** A slice bound or index: a literal, or which of the node's scalar bound inputs (0-based) holds it. */
export type Bound = number | { input: number };
export type IndexEntry = { kind: 'index'; at: Bound } | { kind: 'slice'; start: Bound | null; stop: Bound | null; step: Bound | null };

/** Python's slice arithmetic: the [start, step, length] a slice selects from an axis of `size`. */
export function resolveSlice(
  start: number | null, stop: number | null, step: number | null, size: number,
): [number, number, number] {
  const s = step ?? 1;
  if (s === 0) throw new Error('slice: step cannot be zero');
  const clampIndex = (i: number, lo: number, hi: number) => Math.min(Math.max(i < 0 ? i + size : i, lo), hi);
  const first = start === null ? (s > 0 ? 0 : size - 1) : clampIndex(start, s > 0 ? 0 : -1, s > 0 ? size : size - 1);
  const last = stop === null ? (s > 0 ? size : -1) : clampIndex(stop, s > 0 ? 0 : -1, s > 0 ? size : size - 1);
  const length = s > 0 ? Math.max(0, Math.ceil((last - first) / s)) : Math.max(0, Math.ceil((first - last) / -s));
  return [first, s, length];
}

function subtensorShape(name: string, x: TensorType, entries: readonly IndexEntry[]): StaticShape {
  if (entries.length > x.rank) throw new Error(`${name}: ${entries.length} indices for x of type ${x}`);
  const shape: (number | null)[] = [];
  entries.forEach((e, axis) => {
    const size = x.shape[axis];
    if (e.kind === 'index') {
      if (typeof e.at === 'number' && size !== null && (e.at >= size || e.at < -size)) {
        throw new Error(`${name}: index ${e.at} is out of range for axis ${axis} of x (${x})`);
      }
      return;
    }
    const literal = (b: Bound | null) => b === null || typeof b === 'number';
    if (size !== null && literal(e.start) && literal(e.stop) && literal(e.step)) {
      shape.push(resolveSlice(e.start as number | null, e.stop as number | null, e.step as number | null, size)[2]);
    } else shape.push(null);
  });
  return [...shape, ...x.shape.slice(entries.length)];
}

export const subtensorOp = defineOp({
  name: 'subtensor',
  inputs: ['x', 'bounds'],
  type: ([x], { entries }: { entries: IndexEntry[] }) => [x.with({ shape: subtensorShape('subtensor', x, entries) })],
  grad: ([x, ...bounds], _y, [gy], attrs) => [
    gy && apply1(incSubtensorOp, [zerosLike(x), gy, ...bounds], { ...attrs, set: false }),
    ...bounds.map(() => null),
  ],
});

/** The type rule of x[region] += y (or = y): y must broadcast to the region; the result has x's type. */
function incrementType(name: string, x: TensorType, y: TensorType, regionShape: StaticShape): TensorType[] {
  const region = new TensorType(x.dtype, regionShape);
  if (y.rank > region.rank) throw typeError(name, ['region', 'y'], [region, y], 'y has more axes than the region');
  broadcastTypes(name, ['region', 'y'], [region, y]);
  return [x];
}

/**
 * The gradient of x[region] += y, or of x[region] = y when `set` (which cuts x's gradient in the region):
 * `zeroRegion(gy)` is gy with the region zeroed, `region(gy)` the region of gy, which reverse mode sums back
 * to y's type where y was broadcast into the region (the ops declare `broadcasts`).
 */
function incrementGrad(
  x: Variable, y: Variable, gy: Variable | null, set: boolean,
  zeroRegion: (gy: Variable) => Variable, region: (gy: Variable) => Variable,
) {
  if (!gy) return [null, null];
  const gx = set ? zeroRegion(gy) : gy;
  return [x.dtype === 'int32' ? null : gx, y.dtype === 'int32' ? null : region(gy)];
}

export const incSubtensorOp: Op<{ entries: IndexEntry[]; set: boolean }, 'incSubtensor'> = defineOp({
  name: 'incSubtensor',
  inputs: ['x', 'y', 'bounds'],
  broadcasts: true,
  type: ([x, y], { entries }: { entries: IndexEntry[]; set: boolean }) => incrementType('incSubtensor', x, y, subtensorShape('incSubtensor', x, entries)),
  grad: ([x, y, ...bounds], _out, [gy], attrs) => [
    ...incrementGrad(
      x, y, gy, attrs.set,
      (g) => apply1(incSubtensorOp, [g, zerosLike(y), ...bounds], attrs),
      (g) => apply1(subtensorOp, [g, ...bounds], { entries: attrs.entries }),
    ),
    ...bounds.map(() => null),
  ],
});

function advancedShape(name: string, x: TensorType, indices: readonly TensorType[]): StaticShape {
  if (indices.length > x.rank) throw new Error(`${name}: ${indices.length} index arrays for x of type ${x}`);
  const bad = indices.findIndex((t) => t.dtype !== 'int32');
  if (bad >= 0) throw new Error(`${name}: index ${bad} is ${indices[bad]}; indices must be int32`);
  const names = indices.map((_, i) => `index ${i}`);
  return [...broadcastTypes(name, names, indices), ...x.shape.slice(indices.length)];
}

export const advancedSubtensorOp = defineOp({
  name: 'advancedSubtensor',
  inputs: ['x', 'indices'],
  type: ([x, ...indices]) => [x.with({ shape: advancedShape('advancedSubtensor', x, indices) })],
  grad: ([x, ...indices], _y, [gy]) => [
    gy && apply1(advancedIncSubtensorOp, [zerosLike(x), gy, ...indices], { set: false }),
    ...indices.map(() => null),
  ],
});

export const advancedIncSubtensorOp: Op<{ set: boolean }, 'advancedIncSubtensor'> = defineOp({
  name: 'advancedIncSubtensor',
  inputs: ['x', 'y', 'indices'],
  broadcasts: true,
  type: ([x, y, ...indices], _attrs: { set: boolean }) => incrementType('advancedIncSubtensor', x, y, advancedShape('advancedIncSubtensor', x, indices)),
  grad: ([x, y, ...indices], _out, [gy], attrs) => [
    ...incrementGrad(
      x, y, gy, attrs.set,
      (g) => apply1(advancedIncSubtensorOp, [g, zerosLike(y), ...indices], attrs),
      (g) => apply1(advancedSubtensorOp, [g, ...indices], {}),
    ),
    ...indices.map(() => null),
  ],
});

/** One entry of an index: an integer, ':' (everything), a slice, or an int array (advanced). */
export type IndexSpec = IndexSpecOf<Variable>;
export type SliceSpec = SliceSpecOf<Variable>;

/** A slice for `at`, as Python's start:stop:step. @example x.at(nb.slice(0, 10)) */
export function slice(
  start?: number | Variable | null, stop?: number | Variable | null, step?: number | Variable | null,
): SliceSpec {
  return { start, stop, step };
}

function isAdvanced(spec: IndexSpec): boolean {
  return Array.isArray(spec) || (spec instanceof Variable && spec.ndim > 0);
}

/**
 * x indexed like NumPy: integers and slices per axis, or int arrays on the leading axes.
 * @example logp.at(nb.arange(n), y) // the log-probability of each example's label
 */
export function at(x: TensorLike, ...specs: IndexSpec[]): Variable {
  const v = asVariable(x);
  if (specs.some(isAdvanced)) {
    const lead = specs.findIndex((s) => !isAdvanced(s));
    const count = lead < 0 ? specs.length : lead;
    if (specs.slice(count).some((s) => s !== ':')) {
      throw new Error('at: int-array indices must come first, followed only by ":" (mix basic and advanced indexing in two steps)');
    }
    const indices = specs.slice(0, count).map((s) => asVariable(s as Variable | readonly number[], 'int32'));
    return apply1(advancedSubtensorOp, [v, ...indices], {});
  }
  const bounds: Variable[] = [];
  const bound = (b: number | Variable | null | undefined): Bound | null => {
    if (b === null || b === undefined) return null;
    if (typeof b === 'number') return b;
    if (b instanceof Constant && b.value.size === 1) return b.value.item();
    bounds.push(asVariables([b])[0]);
    return { input: bounds.length - 1 };
  };
  const entries: IndexEntry[] = specs.map((s) => {
    if (s === ':') return { kind: 'slice', start: null, stop: null, step: null };
    if (typeof s === 'number' || s instanceof Variable) return { kind: 'index', at: bound(s)! };
    const sl = s as SliceSpec;
    return { kind: 'slice', start: bound(sl.start), stop: bound(sl.stop), step: bound(sl.step) };
  });
  const badBound = bounds.find((b) => b.dtype !== 'int32' || b.ndim !== 0);
  if (badBound) throw new Error(`at: index ${badBound} is ${badBound.type}; symbolic indices must be int32 scalars`);
  return applyOp(subtensorOp, [v, ...bounds], { entries }).outputs[0];
}

/** Rows of x picked by integer indices (an embedding lookup), along `axis`. */
export function take(x: TensorLike, indices: TensorLike, axis = 0): Variable {
  const v = asVariable(x);
  const idx = asVariable(indices, 'int32');
  if (axis === 0) return apply1(advancedSubtensorOp, [v, idx], {});
  const perm = [axis, ...Array.from({ length: v.ndim }, (_, i) => i).filter((i) => i !== axis)];
  const picked = apply1(advancedSubtensorOp, [v.dimshuffle(perm), idx], {});
  // picked axes: idx axes, then x's axes except `axis`; move the idx axes back to where `axis` was.
  const k = idx.ndim;
  const rest = v.ndim - 1;
  const order = [
    ...Array.from({ length: axis }, (_, i) => k + i),
    ...Array.from({ length: k }, (_, i) => i),
    ...Array.from({ length: rest - axis }, (_, i) => k + axis + i),
  ];
  return picked.dimshuffle(order);
}

/** x with y added into the region `specs` selects (or written there with `set`). */
export function incSubtensor(x: TensorLike, specs: readonly IndexSpec[], y: TensorLike, set = false): Variable {
  const region = at(x, ...specs);
  const node = region.owner!;
  const [xv, ...rest] = node.inputs;
  const yv = asVariable(y, xv.dtype);
  if (node.op === advancedSubtensorOp) return apply1(advancedIncSubtensorOp, [xv, yv, ...rest], { set });
  return apply1(incSubtensorOp, [xv, yv, ...rest], { entries: node.attrs.entries as IndexEntry[], set });
}

/** The indexing family's ops, by name. */
export const indexingOps = opTable(subtensorOp, incSubtensorOp, advancedSubtensorOp, advancedIncSubtensorOp);
