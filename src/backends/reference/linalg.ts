// Matrix products by plain loops (i-k-j order, so the inner loop runs along rows).
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
};
