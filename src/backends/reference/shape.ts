// Shape kernels: permutations, reshapes, broadcasting to a template, shape vectors, joins and splits.
import { broadcastStrides, NDArray, sizeOf, stridesOf, type TypedArray } from '../../ndarray/index.js';
import type { shapeOps, ShufflePattern } from '../../ops/index.js';
import type { KernelsFor } from '../backend.js';
import { gather } from './strided.js';

/** The target shape of a reshape, with its one -1 resolved; errors name both shapes. */
export function resolveReshape(from: readonly number[], spec: ArrayLike<number>): number[] {
  const shape = Array.from(spec);
  const free = shape.indexOf(-1);
  const size = sizeOf(from);
  if (free >= 0) {
    const rest = shape.reduce((p, d, i) => (i === free ? p : p * d), 1);
    shape[free] = rest === 0 ? 0 : size / rest;
  }
  if (sizeOf(shape) !== size || shape.some((d) => !Number.isInteger(d) || d < 0)) {
    throw new Error(`reshape: cannot reshape an array of shape [${from.join(', ')}] to [${Array.from(spec).join(', ')}]`);
  }
  return shape;
}

/** Copies blocks of `parts` along `axis` into one array (or, reversed, out of it). */
function copyBlocks(
  whole: TypedArray, wholeShape: readonly number[], parts: readonly TypedArray[], sizes: readonly number[],
  axis: number, toWhole: boolean,
): void {
  const outer = sizeOf(wholeShape.slice(0, axis));
  const inner = sizeOf(wholeShape.slice(axis + 1));
  const total = wholeShape[axis];
  let start = 0;
  parts.forEach((part, k) => {
    const block = sizes[k] * inner;
    for (let o = 0; o < outer; o++) {
      const at = (o * total + start) * inner;
      if (toWhole) whole.set(part.subarray(o * block, (o + 1) * block), at);
      else part.set(whole.subarray(at, at + block), o * block);
    }
    start += sizes[k];
  });
}

/** Shape kernels, by op. */
export const shapeKernels: KernelsFor<typeof shapeOps> = {
  dimshuffle: ([x], attrs) => {
    const pattern = attrs.pattern as ShufflePattern;
    const strides = stridesOf(x.shape);
    const shape = pattern.map((p) => (p === 'x' ? 1 : x.shape[p]));
    const outStrides = pattern.map((p) => (p === 'x' ? 0 : strides[p]));
    return [gather(x.data, shape, outStrides, 0, x.dtype)];
  },
  reshape: ([x, spec]) => [new NDArray(x.dtype, resolveReshape(x.shape, spec.data), x.data.slice())],
  shape: ([x]) => [new NDArray('int32', [x.rank], Int32Array.from(x.shape))],
  broadcastLike: ([x, template]) => [
    gather(x.data, template.shape, broadcastStrides(x.shape, template.shape), 0, x.dtype),
  ],
  makeVector: (scalars, _attrs, node) => {
    const out = new NDArray(node.outputs[0].type.dtype, [scalars.length]);
    scalars.forEach((s, i) => (out.data[i] = s.data[0]));
    return [out];
  },
  arange: ([n]) => {
    const count = n.data[0];
    if (count < 0) throw new Error(`arange: n is ${count}; it must not be negative`);
    return [new NDArray('int32', [count], Int32Array.from({ length: count }, (_, i) => i))];
  },
  concatenate: (parts, attrs, node) => {
    const axis = attrs.axis as number;
    const dtype = node.outputs[0].type.dtype;
    const shape = [...parts[0].shape];
    shape[axis] = parts.reduce((s, p) => s + p.shape[axis], 0);
    parts.forEach((p, i) => {
      if (p.shape.some((d, j) => j !== axis && d !== shape[j])) {
        throw new Error(`concatenate: tensors[${i}] has shape [${p.shape.join(', ')}], which does not match [${parts[0].shape.join(', ')}] off axis ${axis}`);
      }
    });
    const out = new NDArray(dtype, shape);
    const converted = parts.map((p) => (p.dtype === dtype ? p.data : p.astype(dtype).data));
    copyBlocks(out.data, shape, converted, parts.map((p) => p.shape[axis]), axis, true);
    return [out];
  },
  split: ([x, sizes], attrs, _node, allocate) => {
    const axis = attrs.axis as number;
    const counts = Array.from(sizes.data);
    const total = counts.reduce((t, n) => t + n, 0);
    if (total !== x.shape[axis] || counts.some((n) => n < 0)) {
      throw new Error(`split: parts of sizes [${counts.join(', ')}] do not add up to axis ${axis} of x, of size ${x.shape[axis]}`);
    }
    const parts = counts.map((n, k) => allocate(x.dtype, x.shape.map((d, i) => (i === axis ? n : d)), k));
    copyBlocks(x.data, x.shape, parts.map((p) => p.data), counts, axis, false);
    return parts;
  },
};
