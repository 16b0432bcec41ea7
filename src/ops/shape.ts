// Shape ops: dimshuffle/transpose, reshape/flatten, the symbolic shape, broadcasting to a template,
// vectors of scalars, arange, concatenate/split and stack.
import { normalizeAxis, upcast } from '../ndarray/index.js';
import { TensorType } from '../graph/type.js';
import { applyOp, Constant, type Variable } from '../graph/variable.js';
import type { ShufflePattern } from '../graph/variable-methods.js';
import { apply1, asVariable, asVariables, broadcastTypes, defineOp, opTable, typeError, type TensorLike } from './define-op.js';

export type { ShufflePattern };

export const dimshuffleOp = defineOp({
  name: 'dimshuffle',
  inputs: ['x'],
  type: ([x], { pattern }: { pattern: ShufflePattern }) => {
    const used = pattern.filter((p): p is number => p !== 'x');
    if (new Set(used).size !== used.length || used.some((p) => p < 0 || p >= x.rank)) {
      throw new Error(`dimshuffle: pattern [${pattern.join(', ')}] is not valid for x of type ${x}`);
    }
    for (let i = 0; i < x.rank; i++) {
      if (!used.includes(i) && x.shape[i] !== 1) {
        throw new Error(`dimshuffle: pattern [${pattern.join(', ')}] drops axis ${i} of x (${x}), which is not known to have size 1`);
      }
    }
    return [x.with({ shape: pattern.map((p) => (p === 'x' ? 1 : x.shape[p])) })];
  },
  grad: ([x], _y, [gy], { pattern }) => {
    if (!gy) return [null];
    // Sum away the axes dimshuffle inserted, then put x's axes back in order ('x' for those it dropped).
    const inserted = pattern.flatMap((p, j) => (p === 'x' ? [j] : []));
    const kept = pattern.filter((p): p is number => p !== 'x');
    const g = inserted.length ? gy.sum(inserted) : gy;
    const back = Array.from({ length: x.ndim }, (_, i) => (kept.includes(i) ? kept.indexOf(i) : ('x' as const)));
    return [dimshuffle(g, back)];
  },
});

/**
 * Reorders axes and inserts ('x') or drops (size-1) broadcastable axes, as Theano's dimshuffle.
 * @example b.dimshuffle(['x', 0]) // a row vector that broadcasts over rows
 */
export function dimshuffle(x: TensorLike, pattern: ShufflePattern): Variable {
  const v = asVariable(x);
  if (pattern.length === v.ndim && pattern.every((p, i) => p === i)) return v;
  return apply1(dimshuffleOp, [v], { pattern: [...pattern] });
}

/** Reverses the axes, or permutes them by `perm`. */
export function transpose(x: TensorLike, perm?: readonly number[]): Variable {
  const v = asVariable(x);
  return dimshuffle(v, perm ?? Array.from({ length: v.ndim }, (_, i) => v.ndim - 1 - i));
}

export const shapeOp = defineOp({
  name: 'shape',
  inputs: ['x'],
  shapeOnlyInputs: [0],
  type: ([x]) => [new TensorType('int32', [x.rank])],
});

/** The shape of x at run time, as an int32 vector. */
export function shape(x: TensorLike): Variable {
  return apply1(shapeOp, [asVariable(x)], {});
}

export const broadcastLikeOp = defineOp({
  name: 'broadcastLike',
  inputs: ['x', 'template'],
  shapeOnlyInputs: [1],
  type: ([x, t]) => {
    if (x.rank > t.rank) throw typeError('broadcastLike', ['x', 'template'], [x, t], 'x has more axes than the template');
    broadcastTypes('broadcastLike', ['x', 'template'], [x, t]);
    return [t.with({ dtype: x.dtype })];
  },
  broadcasts: true,
  grad: (_inputs, _y, [gy]) => [gy, null],
});

/** x broadcast to the shape of `template` (Theano's alloc). */
export function broadcastLike(x: TensorLike, template: Variable): Variable {
  const v = asVariable(x, template.dtype);
  return v.type.equals(template.type.with({ dtype: v.dtype })) ? v : apply1(broadcastLikeOp, [v, template], {});
}

export const zerosLike = (x: Variable) => broadcastLike(asVariable(0, x.dtype), x);
export const onesLike = (x: Variable) => broadcastLike(asVariable(1, x.dtype), x);

/** Whether v is zeros by construction: a constant of zeros, or zeros broadcast as zerosLike makes them. */
export function isZeros(v: Variable): boolean {
  if (v instanceof Constant) return v.value.data.every((x) => x === 0);
  return v.owner?.op.name === 'broadcastLike' && isZeros(v.owner.inputs[0]);
}

export const makeVectorOp = defineOp({
  name: 'makeVector',
  inputs: ['scalars'],
  type: (scalars) => {
    const bad = scalars.findIndex((s) => s.rank !== 0);
    if (bad >= 0) throw new Error(`makeVector: element ${bad} is ${scalars[bad]}, not a scalar`);
    return [new TensorType(upcast('int32', ...scalars.map((s) => s.dtype)), [scalars.length])];
  },
  grad: (scalars, _y, [gy]) => scalars.map((s, i) => (gy && s.dtype !== 'int32' ? gy.at(i) : null)),
});

/** A vector from scalar variables and numbers (shape specs use this). */
export function makeVector(values: readonly TensorLike[]): Variable {
  return apply1(makeVectorOp, asVariables(values), {});
}

export const reshapeOp = defineOp({
  name: 'reshape',
  inputs: ['x', 'shape'],
  type: ([x, s], { shape }: { shape: (number | null)[] }) => {
    if (s.rank !== 1 || s.dtype !== 'int32') throw typeError('reshape', ['x', 'shape'], [x, s], 'shape must be an int32 vector');
    const known = (d: readonly (number | null)[]) =>
      (d.every((n) => n !== null) ? (d as number[]).reduce((a, b) => a * b, 1) : null);
    const [from, to] = [known(x.shape), known(shape)];
    if (from !== null && to !== null && from !== to) {
      throw new Error(`reshape: x is ${x} (${from} elements); cannot reshape to [${shape.join(', ')}] (${to} elements)`);
    }
    return [x.with({ shape })];
  },
  grad: ([x], _y, [gy]) => [gy && reshape(gy, shape(x), x.type.shape)],
});

/**
 * x with a new shape of the same size; one entry may be -1. Entries may be int scalar variables.
 * @example x.reshape([batch, 1, 28, 28])
 */
export function reshape(
  x: TensorLike, spec: readonly (number | Variable)[] | Variable, staticShape?: readonly (number | null)[],
): Variable {
  const v = asVariable(x);
  if (!Array.isArray(spec)) {
    const vec = spec as Variable;
    return apply1(reshapeOp, [v, vec], { shape: [...(staticShape ?? new Array(vec.type.shape[0] ?? 0).fill(null))] });
  }
  const entries = spec as readonly (number | Variable)[];
  const numbers = entries.map((d) => (typeof d === 'number' ? d : d instanceof Constant ? d.value.item() : null));
  let known: (number | null)[] = numbers.map((d) => (d === -1 ? null : d));
  const size = v.type.shape.every((d) => d !== null) ? (v.type.shape as number[]).reduce((a, b) => a * b, 1) : null;
  const free = numbers.indexOf(-1);
  if (free >= 0 && size !== null && known.every((d, i) => i === free || d !== null)) {
    const rest = known.reduce<number>((p, d, i) => (i === free ? p : p * d!), 1);
    known = known.map((d, i) => (i === free ? size / rest : d));
  }
  const vec = numbers.every((d) => d !== null) ? asVariable([...(numbers as number[])], 'int32') : makeVector(entries);
  return apply1(reshapeOp, [v, vec], { shape: staticShape ? [...staticShape] : known });
}

/** x with its trailing axes merged so that `ndim` axes remain (Theano's flatten(outdim)). */
export function flatten(x: TensorLike, ndim = 1): Variable {
  const v = asVariable(x);
  if (ndim < 1 || ndim > v.ndim) throw new Error(`flatten: ndim ${ndim} is out of range for x of type ${v.type}`);
  const lead = Array.from({ length: ndim - 1 }, (_, i) => v.type.shape[i] ?? shape(v).at(i));
  return reshape(v, [...lead, -1]);
}

export const arangeOp = defineOp({
  name: 'arange',
  inputs: ['n'],
  type: ([n]) => {
    if (n.rank !== 0 || n.dtype !== 'int32') throw new Error(`arange: n is ${n}; it must be an int32 scalar`);
    return [new TensorType('int32', [null])];
  },
});

/** 0, 1, ..., n-1 (int32); n may be a symbolic int scalar such as x.shape.at(0). */
export function arange(n: TensorLike): Variable {
  return apply1(arangeOp, [asVariable(n, 'int32')], {});
}

export const concatenateOp = defineOp({
  name: 'concatenate',
  inputs: ['tensors'],
  type: (types, { axis }: { axis: number }) => {
    const first = types[0];
    const names = types.map((_, i) => `tensors[${i}]`);
    if (types.some((t) => t.rank !== first.rank)) throw typeError('concatenate', names, types, 'ranks differ');
    const shape = first.shape.map((_, d) => {
      if (d === axis) {
        return types.every((t) => t.shape[d] !== null) ? types.reduce((s, t) => s + t.shape[d]!, 0) : null;
      }
      const known = types.map((t) => t.shape[d]).filter((n) => n !== null);
      if (new Set(known).size > 1) throw typeError('concatenate', names, types, `axis ${d} differs`);
      return known[0] ?? null;
    });
    return [new TensorType(upcast(...types.map((t) => t.dtype)), shape)];
  },
  grad: (inputs, _y, [gy], { axis }) => {
    if (!gy) return inputs.map(() => null);
    const sizes = makeVector(inputs.map((x) => x.type.shape[axis] ?? shape(x).at(axis)));
    const parts = applyOp(splitOp, [gy, sizes], { axis, types: inputs.map((x) => x.type.shape) }).outputs;
    return parts.map((g, i) => (inputs[i].dtype === 'int32' ? null : g));
  },
});

export const splitOp = defineOp({
  name: 'split',
  inputs: ['x', 'sizes'],
  type: ([x], { types }: { axis: number; types: (number | null)[][] }) =>
    types.map((shape) => new TensorType(x.dtype, shape)),
  // Parts the cost does not use send back zeros.
  grad: (_inputs, outputs, grads, { axis }) =>
    [concatenate(grads.map((g, i) => g ?? zerosLike(outputs[i])), axis), null],
});

/** Joins tensors along an existing axis. */
export function concatenate(tensors: readonly TensorLike[], axis = 0): Variable {
  const vars = asVariables(tensors);
  if (vars.length === 0) throw new Error('concatenate: no tensors given');
  const a = normalizeAxis(axis, vars[0].ndim, 'concatenate');
  return apply1(concatenateOp, vars, { axis: a });
}

/**
 * x cut along `axis` into consecutive parts of the given sizes, which must add up to the axis's size.
 * Its gradient joins the parts' gradients in one concatenate (slices would each scatter into zeros).
 * @example const [i, f, o, c] = nb.split(z, [n, n, n, n], 1) // an LSTM's four gates
 */
export function split(x: TensorLike, sizes: readonly (number | Variable)[], axis = 0): Variable[] {
  const v = asVariable(x);
  const a = normalizeAxis(axis, v.ndim, 'split');
  const known = sizes.every((n) => typeof n === 'number') ? (sizes as number[]).reduce((t, n) => t + n, 0) : null;
  const size = v.type.shape[a];
  if (known !== null && size !== null && known !== size) {
    const parts = `split: parts of sizes [${sizes.join(', ')}] add up to ${known}`;
    throw new Error(`${parts}, but axis ${a} of x (${v.type}) has ${size}`);
  }
  const types = sizes.map((n) => v.type.shape.map((d, i) => (i === a ? (typeof n === 'number' ? n : null) : d)));
  return applyOp(splitOp, [v, makeVector(sizes)], { axis: a, types }).outputs;
}

/** Joins tensors of equal shape along a new axis. */
export function stack(tensors: readonly TensorLike[], axis = 0): Variable {
  const vars = asVariables(tensors);
  if (vars.length === 0) throw new Error('stack: no tensors given');
  const a = normalizeAxis(axis, vars[0].ndim + 1, 'stack');
  return concatenate(
    vars.map((v) => dimshuffle(v, [...Array.from({ length: a }, (_, i) => i), 'x', ...Array.from({ length: v.ndim - a }, (_, i) => a + i)])),
    a,
  );
}

/** The shape family's ops, by name. */
export const shapeOps = opTable(
  dimshuffleOp, shapeOp, broadcastLikeOp, makeVectorOp, reshapeOp, arangeOp, concatenateOp, splitOp,
);
