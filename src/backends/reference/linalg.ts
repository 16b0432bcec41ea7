// Matrix products by plain loops (i-k-j order, so the inner loop runs along rows), and the symmetric
// eigendecomposition by cyclic Jacobi rotations.
import { NDArray } from '../../ndarray/index.js';
import type { DotAttrs, linalgOps } from '../../ops/index.js';
import type { Kernel, KernelsFor } from '../backend.js';

const dotKernel: Kernel = ([a, b], attrs, node) => {
  const { transA, transB } = attrs as DotAttrs;
  const dtype = node.outputs[0].type.dtype;
  // Vectors act as a 1×k row (left) or k×1 column (right).
  const [m, k] = a.rank === 2 ? (transA ? [a.shape[1], a.shape[0]] : [...a.shape]) : [1, a.shape[0]];
  const [k2, n] = b.rank === 2 ? (transB ? [b.shape[1], b.shape[0]] : [...b.shape]) : [b.shape[0], 1];
  if (k !== k2) throw new Error(`dot: a has shape [${a.shape.join(', ')}] and b [${b.shape.join(', ')}]; inner dimensions differ (${k} vs ${k2})`);
  const [as, bs] = [a.data, b.data];
  const aAt = a.rank === 2 && transA
    ? (i: number, p: number) => as[p * m + i]
    : (i: number, p: number) => as[i * k + p];
  const bRow = (p: number) => (transB ? -1 : p * n);
  const out = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let p = 0; p < k; p++) {
      const av = aAt(i, p);
      const row = bRow(p);
      if (row >= 0) for (let j = 0; j < n; j++) out[i * n + j] += av * bs[row + j];
      else for (let j = 0; j < n; j++) out[i * n + j] += av * bs[j * k + p];
    }
  }
  const shape = [...(a.rank === 2 ? [m] : []), ...(b.rank === 2 ? [n] : [])];
  const result = new NDArray(dtype, shape);
  result.data.set(out);
  return [result];
};

/**
 * Cyclic Jacobi (Golub and Van Loan, Matrix Computations §8.5): rotate away each off-diagonal pair
 * (p, q) in turn, A ← JᵀAJ, accumulating V ← VJ, until what is left off the diagonal is rounding.
 * Slower than LAPACK's tridiagonal methods, but short, and accurate to the last digits even for the
 * small eigenvalues. Reads the lower triangle; works in float64.
 */
function jacobiEigen(n: number, lower: ArrayLike<number>): { values: Float64Array; vectors: Float64Array } {
  const A = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) A[i * n + j] = A[j * n + i] = lower[i * n + j];
  }
  const V = new Float64Array(n * n);
  for (let i = 0; i < n; i++) V[i * n + i] = 1;
  let total = 0;
  for (let i = 0; i < n * n; i++) total += A[i] * A[i];
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    for (let p = 0; p < n; p++) for (let q = p + 1; q < n; q++) off += 2 * A[p * n + q] ** 2;
    if (off <= 1e-30 * total) break;
    for (let p = 0; p < n - 1; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = A[p * n + q];
        if (apq === 0) continue;
        const tau = (A[q * n + q] - A[p * n + p]) / (2 * apq);
        const t = (tau >= 0 ? 1 : -1) / (Math.abs(tau) + Math.sqrt(1 + tau * tau));
        const c = 1 / Math.sqrt(1 + t * t);
        const s = t * c;
        for (let k = 0; k < n; k++) { // columns p and q: A ← AJ
          const [akp, akq] = [A[k * n + p], A[k * n + q]];
          A[k * n + p] = c * akp - s * akq;
          A[k * n + q] = s * akp + c * akq;
        }
        for (let k = 0; k < n; k++) { // rows p and q: A ← JᵀA
          const [apk, aqk] = [A[p * n + k], A[q * n + k]];
          A[p * n + k] = c * apk - s * aqk;
          A[q * n + k] = s * apk + c * aqk;
        }
        A[p * n + q] = A[q * n + p] = 0;
        for (let k = 0; k < n; k++) {
          const [vkp, vkq] = [V[k * n + p], V[k * n + q]];
          V[k * n + p] = c * vkp - s * vkq;
          V[k * n + q] = s * vkp + c * vkq;
        }
      }
    }
  }
  const order = Array.from({ length: n }, (_, i) => i).sort((i, j) => A[i * n + i] - A[j * n + j]);
  const values = Float64Array.from(order, (i) => A[i * n + i]);
  const vectors = new Float64Array(n * n);
  order.forEach((from, to) => {
    for (let k = 0; k < n; k++) vectors[k * n + to] = V[k * n + from];
  });
  return { values, vectors };
}

/**
 * A matrix with a NaN or an infinite entry has no eigen-decomposition: every eigenvalue and eigenvector
 * entry is NaN (as JAX gives), rather than whatever an iteration stops at. True when it filled w and v so.
 */
export function eighOfNonFinite(a: NDArray, w: NDArray, v: NDArray): boolean {
  if (a.data.every(Number.isFinite)) return false;
  w.data.fill(NaN);
  v.data.fill(NaN);
  return true;
}

/** Linear-algebra kernels, by op. */
export const linalgKernels: KernelsFor<typeof linalgOps> = {
  dot: dotKernel,
  /** β·C + α·op(A)·op(B): the product by dotKernel, the sum in float64; β = 0 never reads C (as BLAS). */
  gemm: ([c, alpha, a, b, beta], attrs, node, allocate) => {
    const [product] = dotKernel([a, b], attrs, node, allocate);
    if (product.shape[0] !== c.shape[0] || product.shape[1] !== c.shape[1]) {
      throw new Error(`gemm: c has shape [${c.shape.join(', ')}] but the product [${product.shape.join(', ')}]`);
    }
    const [al, be] = [alpha.data[0], beta.data[0]];
    const result = new NDArray(node.outputs[0].type.dtype, c.shape);
    for (let i = 0; i < result.size; i++) result.data[i] = (be === 0 ? 0 : be * c.data[i]) + al * product.data[i];
    return [result];
  },
  eigh: ([a], _attrs, node) => {
    const n = a.shape[0];
    if (a.shape[1] !== n) throw new Error(`eigh: a has shape [${a.shape.join(', ')}]; the matrix is not square`);
    const dtype = node.outputs[0].type.dtype;
    const w = new NDArray(dtype, [n]);
    const v = new NDArray(dtype, [n, n]);
    if (eighOfNonFinite(a, w, v)) return [w, v];
    const { values, vectors } = jacobiEigen(n, a.data);
    w.data.set(values);
    v.data.set(vectors);
    return [w, v];
  },
};
