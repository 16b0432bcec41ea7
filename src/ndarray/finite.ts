// Where the first NaN or infinite value of some data lies, so that data errors can name its position.
import type { NDArray } from './ndarray.js';
import type { Shape } from './shape.js';

/**
 * The index of the first NaN, Infinity or -Infinity in `data`, or -1 when every value is finite.
 * @example firstNonFinite(new Float32Array([1, NaN, 3])) // 1
 */
export function firstNonFinite(data: ArrayLike<number>): number {
  for (let i = 0; i < data.length; i++) if (!Number.isFinite(data[i])) return i;
  return -1;
}

/**
 * The multi-index of flat (row-major) index `flat` in an array of `shape`.
 * @example indexIn([3, 4], 6) // [1, 2]
 */
export function indexIn(shape: Shape, flat: number): number[] {
  const index = new Array<number>(shape.length).fill(0);
  for (let d = shape.length - 1; d >= 0; d--) {
    index[d] = flat % shape[d];
    flat = Math.floor(flat / shape[d]);
  }
  return index;
}

/**
 * Checks that x is a finite N×D matrix, naming the first NaN or infinite value by row and column.
 * @example assertFiniteMatrix(x, 'Pca.fit') // Pca.fit: x[12, 3] is NaN (row 12, column 3)
 */
export function assertFiniteMatrix(x: NDArray, where: string): void {
  if (x.rank !== 2) throw new Error(`${where}: x must be a matrix (N rows of D values), got shape [${x.shape.join(', ')}]`);
  const [, cols] = x.shape;
  const i = firstNonFinite(x.data);
  if (i >= 0) {
    const [row, col] = [Math.floor(i / cols), i % cols];
    throw new Error(`${where}: x[${row}, ${col}] is ${x.data[i]} (row ${row}, column ${col}); remove or fill it first`);
  }
}
