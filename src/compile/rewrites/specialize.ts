// Specialising rewrites: forms that run faster on every backend.
import type { LocalRewrite } from '../../graph/rewrite.js';
import { applyOp, type Apply, type Variable } from '../../graph/variable.js';
import type { DotAttrs } from '../../ops/index.js';

const isMatrixTranspose = (v: Variable) => {
  const p = v.owner?.op.name === 'dimshuffle' ? (v.owner.attrs.pattern as unknown[]) : null;
  return p !== null && p.length === 2 && p[0] === 1 && p[1] === 0 && v.owner!.inputs[0].ndim === 2;
};

/** dot(Aᵀ, B) -> dot(A, B, transA): gemm reads the transpose in place instead of copying it. */
export const dotAbsorbsTranspose: LocalRewrite = (node: Apply) => {
  if (node.op.name !== 'dot') return null;
  const [a, b] = node.inputs;
  const attrs = node.attrs as DotAttrs;
  const absorbA = a.ndim === 2 && isMatrixTranspose(a);
  const absorbB = b.ndim === 2 && isMatrixTranspose(b);
  if (!absorbA && !absorbB) return null;
  return applyOp(node.op, [absorbA ? a.owner!.inputs[0] : a, absorbB ? b.owner!.inputs[0] : b], {
    transA: attrs.transA !== absorbA,
    transB: attrs.transB !== absorbB,
  }).outputs;
};

export const specializingRewrites: readonly LocalRewrite[] = [dotAbsorbsTranspose];
