// Matrix products on the native backend: dot and gemm through the addon's gemm (our kernels or OpenBLAS);
// eigh through LAPACK's ?syevd.
import type { DotAttrs, linalgOps } from '../../ops/index.js';
import type { Kernel } from '../backend.js';
import type { FloatArray, NativeAddon } from './addon.js';
import type { NativeKernelsFor } from './fallbacks.js';
import { eighOfNonFinite } from '../reference/linalg.js';

/** The [rows, cols] of a matrix operand as the product reads it. */
const oriented = ([rows, cols]: readonly number[], transposed: boolean): [number, number] =>
  (transposed ? [cols, rows] : [rows, cols]);

function dotKernel(addon: NativeAddon): Kernel {
  return ([a, b], attrs, node, allocate) => {
    const { transA, transB } = attrs as DotAttrs;
    const dtype = node.outputs[0].type.dtype;
    const [A, B] = [a, b].map((v) => (v.dtype === dtype ? v : v.astype(dtype)));
    // Vectors act as a 1×k row on the left and a k×1 column on the right.
    const [ar, ac] = A.rank === 2 ? A.shape : [1, A.shape[0]];
    const [br, bc] = B.rank === 2 ? B.shape : [B.shape[0], 1];
    const [m, k] = oriented([ar, ac], transA);
    const [k2, n] = oriented([br, bc], transB);
    if (k !== k2) throw new Error(`dot: a has shape [${a.shape.join(', ')}] and b [${b.shape.join(', ')}]; inner dimensions differ (${k} vs ${k2})`);
    const shape = [...(a.rank === 2 ? [m] : []), ...(b.rank === 2 ? [n] : [])];
    const out = allocate(dtype, shape);
    if (k === 0) out.data.fill(0);
    if (m > 0 && n > 0 && k > 0) {
      addon.gemm(
        transA, transB, m, n, k, 1, A.data as FloatArray, ac, B.data as FloatArray, bc, 0, out.data as FloatArray, n,
      );
    }
    return [out];
  };
}

/**
 * β·C + α·op(A)·op(B) by one BLAS-style call accumulating into the output. The output is C's own
 * storage when the compiled function lets it overwrite C (an update W ← βW + α·xᵀg, see fn.ts);
 * otherwise C is copied into it first.
 */
function gemmKernel(addon: NativeAddon): Kernel {
  return ([c, alpha, a, b, beta], attrs, node, allocate) => {
    const { transA, transB } = attrs as DotAttrs;
    const dtype = node.outputs[0].type.dtype;
    const [m, k] = oriented(a.shape, transA);
    const [k2, n] = oriented(b.shape, transB);
    if (k !== k2 || m !== c.shape[0] || n !== c.shape[1]) {
      throw new Error(`gemm: c has shape [${c.shape.join(', ')}], a [${a.shape.join(', ')}] and b [${b.shape.join(', ')}]; the product does not fit c`);
    }
    const [al, be] = [alpha.data[0], beta.data[0]];
    const out = allocate(dtype, c.shape);
    if (out.data !== c.data && be !== 0) out.data.set(c.data);
    if (k === 0 || m === 0 || n === 0) {
      for (let i = 0; i < out.size; i++) out.data[i] = be === 0 ? 0 : be * out.data[i];
    } else {
      addon.gemm(
        transA, transB, m, n, k, al, a.data as FloatArray, a.shape[1],
        b.data as FloatArray, b.shape[1], be, out.data as FloatArray, n,
      );
    }
    return [out];
  };
}

function eighKernel(addon: NativeAddon): Kernel {
  return ([a], _attrs, node, allocate) => {
    const n = a.shape[0];
    if (a.shape[1] !== n) throw new Error(`eigh: a has shape [${a.shape.join(', ')}]; the matrix is not square`);
    const dtype = node.outputs[0].type.dtype;
    const A = a.dtype === dtype ? a : a.astype(dtype);
    const w = allocate(dtype, [n]);
    const v = allocate(dtype, [n, n], 1);
    if (eighOfNonFinite(A, w, v)) return [w, v];
    addon.eigh(A.data as FloatArray, n, w.data as FloatArray, v.data as FloatArray);
    return [w, v];
  };
}

/** Linear-algebra kernels, by op. */
export function linalgKernels(addon: NativeAddon): NativeKernelsFor<typeof linalgOps> {
  return { dot: dotKernel(addon), gemm: gemmKernel(addon), eigh: eighKernel(addon) };
}
