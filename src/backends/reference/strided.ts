// Strided walks shared by the reference kernels: copying a strided view into a contiguous array.
import { allocate, NDArray, sizeOf, type DType, type TypedArray } from '../../ndarray/index.js';

/** A contiguous copy of the elements of `data` at `offset + Σ index[d] * strides[d]` for `shape`. */
export function gather(data: TypedArray, shape: readonly number[], strides: readonly number[], offset: number, dtype: DType): NDArray {
  const out = allocate(dtype, sizeOf(shape));
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
export function walk(shape: readonly number[], strides: readonly (readonly number[])[], visit: (i: number, offsets: number[]) => void): void {
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
