// Matrix products: dot (matrix·matrix, matrix·vector, vector·matrix, vector·vector), outer, and gemm
// (β·C + α·A·B, which the compiler forms from updates such as W − lr·xᵀg, as Theano's gemm); and eigh,
// the eigendecomposition of a symmetric matrix (PCA's diagonalisation of a covariance).
import { upcast } from '../ndarray/index.js';
import { TensorType } from '../graph/type.js';
import type { Variable } from '../graph/variable.js';
import { applyOp } from '../graph/variable.js';
import { apply1, asVariable, asVariables, defineOp, typeError, opTable, type TensorLike } from './define-op.js';
import { cast, eq, reciprocal } from './elementwise.js';
import { arange } from './shape.js';

export interface DotAttrs extends Record<string, unknown> {
  /** Use a matrix operand transposed (set by the compiler when it absorbs a transpose into gemm). */
  transA: boolean;
  transB: boolean;
}

/** The [rows, cols] of a matrix operand as the product sees it. */
function oriented(t: TensorType, trans: boolean): (number | null)[] {
  return trans ? [t.shape[1], t.shape[0]] : [...t.shape];
}

export const dotOp = defineOp({
  name: 'dot',
  inputs: ['a', 'b'],
  type: ([a, b], { transA, transB }: DotAttrs) => {
    const names = ['a', 'b'];
    if (a.rank < 1 || a.rank > 2 || b.rank < 1 || b.rank > 2) throw typeError('dot', names, [a, b], 'dot takes vectors and matrices');
    if (a.dtype === 'int32' || b.dtype === 'int32') throw typeError('dot', names, [a, b], 'dot needs float operands (cast the integers)');
    const sa = a.rank === 2 ? oriented(a, transA) : a.shape;
    const sb = b.rank === 2 ? oriented(b, transB) : b.shape;
    const inner = [sa[sa.length - 1], sb[0]];
    if (inner[0] !== null && inner[1] !== null && inner[0] !== inner[1]) {
      throw typeError('dot', names, [a, b], `inner dimensions differ (${inner[0]} vs ${inner[1]})`);
    }
    const shape = [...sa.slice(0, -1), ...sb.slice(1)];
    return [new TensorType(upcast(a.dtype, b.dtype), shape)];
  },
  grad: ([a, b], _y, [gy], { transA, transB }) => {
    if (!gy) return [null, null];
    if (transA || transB) throw new Error('dot: gradients are taken before transposes are absorbed (internal)');
    const fit = (g: Variable, like: Variable) => (g.dtype === like.dtype ? g : cast(g, like.dtype));
    if (a.ndim === 2 && b.ndim === 2) return [fit(dot(gy, b.T), a), fit(dot(a.T, gy), b)];
    if (a.ndim === 2) return [fit(outer(gy, b), a), fit(dot(a.T, gy), b)];
    if (b.ndim === 2) return [fit(dot(b, gy), a), fit(outer(a, gy), b)];
    return [fit(gy.mul(b), a), fit(gy.mul(a), b)];
  },
});

/**
 * Matrix product, with vectors treated as rows or columns as in NumPy's dot.
 * @example x.dot(W) // float32[batch, 784] · float32[784, 10] → float32[batch, 10]
 */
export function dot(a: TensorLike, b: TensorLike): Variable {
  const [va, vb] = asVariables([a, b]);
  return apply1(dotOp, [va, vb], { transA: false, transB: false });
}

/** Outer product of two vectors: out[i, j] = a[i] * b[j]. */
export function outer(a: TensorLike, b: TensorLike): Variable {
  const [va, vb] = asVariables([a, b]);
  if (va.ndim !== 1 || vb.ndim !== 1) throw typeError('outer', ['a', 'b'], [va.type, vb.type], 'outer takes two vectors');
  return va.dimshuffle([0, 'x']).mul(vb.dimshuffle(['x', 0]));
}

const GEMM_INPUTS = ['c', 'alpha', 'a', 'b', 'beta'];

export const gemmOp = defineOp({
  name: 'gemm',
  inputs: GEMM_INPUTS,
  inPlaceInput: 0,
  type: (types, { transA, transB }: DotAttrs) => {
    const [c, alpha, a, b, beta] = types;
    const fail = (reason: string) => typeError('gemm', GEMM_INPUTS, types, reason);
    if (c.rank !== 2 || a.rank !== 2 || b.rank !== 2) throw fail('c, a and b must be matrices');
    if (alpha.rank !== 0 || beta.rank !== 0) throw fail('alpha and beta must be scalars');
    if ([c, alpha, a, b, beta].some((t) => t.dtype === 'int32') || a.dtype !== c.dtype || b.dtype !== c.dtype) throw fail('c, a and b need one float dtype');
    const [m, k] = oriented(a, transA);
    const [k2, n] = oriented(b, transB);
    const agree = (p: number | null, q: number | null) => p === null || q === null || p === q;
    if (!agree(k, k2)) throw fail(`inner dimensions differ (${k} vs ${k2})`);
    if (!agree(c.shape[0], m) || !agree(c.shape[1], n)) throw fail(`the product is [${m ?? '?'}, ${n ?? '?'}], not c's shape`);
    return [new TensorType(c.dtype, [c.shape[0] ?? m, c.shape[1] ?? n])];
  },
  grad: ([c, alpha, a, b, beta], _y, [gy], { transA, transB }) => {
    if (!gy) return [null, null, null, null, null];
    if (transA || transB) throw new Error('gemm: gradients are taken before transposes are absorbed (internal)');
    return [
      gy.mul(beta),
      gy.mul(dot(a, b)).sum().astype(alpha.dtype),
      dot(gy, b.T).mul(alpha),
      dot(a.T, gy).mul(alpha),
      gy.mul(c).sum().astype(beta.dtype),
    ];
  },
});

/**
 * β·C + α·A·B in one pass over C. The compiler forms it from sums of products and scaled matrices (an
 * SGD update W − lr·(xᵀg + λW) becomes gemm(W, −lr, xᵀ, g, 1 − lr·λ)); it is exported for tests.
 * @example gemm(W, -0.01, x.T, g, 1) // W − 0.01·xᵀg
 */
export function gemm(c: TensorLike, alpha: TensorLike, a: TensorLike, b: TensorLike, beta: TensorLike): Variable {
  const [vc, va, vb] = asVariables([c, a, b]);
  const scalar = (s: TensorLike) => asVariable(s, vc.dtype);
  return apply1(gemmOp, [vc, scalar(alpha), va, vb, scalar(beta)], { transA: false, transB: false });
}

export const eighOp = defineOp({
  name: 'eigh',
  inputs: ['a'],
  type: ([a]) => {
    const [rows, cols] = a.shape;
    if (a.rank !== 2) throw typeError('eigh', ['a'], [a], 'eigh takes a square matrix');
    if (a.dtype === 'int32') throw typeError('eigh', ['a'], [a], 'eigh needs a float matrix (cast the integers)');
    if (rows !== null && cols !== null && rows !== cols) throw typeError('eigh', ['a'], [a], `the matrix is not square (${rows} vs ${cols})`);
    const n = rows ?? cols;
    return [new TensorType(a.dtype, [n]), new TensorType(a.dtype, [n, n])];
  },
  /**
   * For A = V·diag(w)·Vᵀ: Ā = V·(diag(w̄) + F ∘ (Vᵀ·V̄))·Vᵀ with F[i, j] = 1 / (w[j] − w[i]) off the
   * diagonal and 0 on it, made symmetric, as the input is taken to be. Repeated eigenvalues make F
   * infinite: their eigenvectors are not unique, and neither is a gradient through them.
   */
  grad: ([a], [w, v], [gw, gv]) => {
    if (!gw && !gv) return [null];
    const inner = gw ? v.mul(gw) : null; // V·diag(w̄)
    let g = inner ? inner.dot(v.T) : null;
    if (gv) {
      const n = w.shape.at(0);
      const eye = eq(arange(n).dimshuffle([0, 'x']), arange(n).dimshuffle(['x', 0])).astype(a.dtype);
      const gaps = w.dimshuffle(['x', 0]).sub(w.dimshuffle([0, 'x'])).add(eye);
      const f = reciprocal(gaps).sub(eye);
      const through = v.dot(f.mul(v.T.dot(gv))).dot(v.T);
      g = g ? g.add(through) : through;
    }
    return [g!.add(g!.T).mul(0.5)];
  },
});

/**
 * Eigenvalues (ascending) and unit eigenvectors (the columns of the second result) of a symmetric
 * matrix, as NumPy's eigh; only the lower triangle is read.
 * @example const [w, v] = eigh(cov); // cov·v[:, j] = w[j]·v[:, j]
 */
export function eigh(a: TensorLike): [Variable, Variable] {
  const [w, v] = applyOp(eighOp, [asVariable(a)], {}).outputs;
  return [w, v];
}

/** The linear-algebra family's ops, by name. */
export const linalgOps = opTable(dotOp, gemmOp, eighOp);
