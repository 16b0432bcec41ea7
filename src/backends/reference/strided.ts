// Strided walks shared by the reference kernels: copying a strided view into a contiguous array, and
// checking at run time that an operand may be broadcast to the shape it is read as.
import { allocate, formatShape, NDArray, sizeOf, type DType, type TypedArray } from '../../ndarray/index.js';
import type { TensorType } from '../../graph/type.js';

/**
 * Theano's broadcasting rule at run time: each axis of `shape` (right-aligned) equals the target's, or
 * is 1 and declared 1 by the operand's type. An unknown size that happens to be 1 must not stretch, or
 * its gradient would come back in the stretched shape; a size that fits nowhere must not be cut short.
 */
export function checkBroadcast(
  op: string, name: string, type: TensorType, shape: readonly number[], target: readonly number[],
): void {
  const pad = target.length - shape.length;
  shape.forEach((d, i) => {
    const t = target[pad + i];
    if (d === t) return;
    const where = `${op}: ${name} is ${type} and has shape ${formatShape(shape)} at run time`;
    if (d !== 1) throw new Error(`${where}, which does not fit ${formatShape(target)}`);
    if (type.shape[i] !== 1) throw new Error(`${where}; axis ${i} is not declared broadcastable (size 1), so it cannot stretch to ${t}`);
  });
}

/**
 * How many trailing axes of a strided view are laid out contiguously (each stride the size of the axes
 * after it), and the size of that block: whole blocks can be copied at once.
 */
export function contiguousTail(shape: readonly number[], strides: readonly number[]): { axes: number; block: number } {
  let block = 1;
  let axes = 0;
  for (let d = shape.length - 1; d >= 0 && (strides[d] === block || shape[d] === 1); d--) {
    block *= shape[d];
    axes++;
  }
  return { axes, block };
}

/** A contiguous copy of the elements of `data` at `offset + Σ index[d] * strides[d]` for `shape`. */
export function gather(
  data: TypedArray, shape: readonly number[], strides: readonly number[], offset: number, dtype: DType,
): NDArray {
  const out = allocate(dtype, sizeOf(shape));
  const { axes, block } = contiguousTail(shape, strides);
  const outer = shape.length - axes;
  if (block > 1) {
    // Whole contiguous blocks (the rows of x[::-1], x[a:b]): one copy each.
    walk(shape.slice(0, outer), [strides.slice(0, outer)], (i, [src]) => {
      out.set(data.subarray(offset + src, offset + src + block), i * block);
    });
    return new NDArray(dtype, shape, out);
  }
  const rank = shape.length;
  const index = new Array<number>(rank).fill(0);
  let src = offset;
  for (let i = 0; i < out.length; i++) {
    out[i] = data[src];
    for (let d = rank - 1; d >= 0; d--) {
      index[d]++;
      src += strides[d];
      if (index[d] < shape[d]) break;
      src -= strides[d] * shape[d];
      index[d] = 0;
    }
  }
  return new NDArray(dtype, shape, out);
}

/** Calls `visit(flatOut, srcOffsets)` for each element of `shape`, tracking one offset per strided operand. */
export function walk(
  shape: readonly number[], strides: readonly (readonly number[])[], visit: (i: number, offsets: number[]) => void,
): void {
  const rank = shape.length;
  const n = sizeOf(shape);
  const index = new Array<number>(rank).fill(0);
  const offsets = strides.map(() => 0);
  for (let i = 0; i < n; i++) {
    visit(i, offsets);
    for (let d = rank - 1; d >= 0; d--) {
      index[d]++;
      for (let k = 0; k < offsets.length; k++) offsets[k] += strides[k][d];
      if (index[d] < shape[d]) break;
      for (let k = 0; k < offsets.length; k++) offsets[k] -= strides[k][d] * shape[d];
      index[d] = 0;
    }
  }
}
