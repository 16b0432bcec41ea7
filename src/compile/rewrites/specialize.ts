// Specialising rewrites: forms that run faster on every backend.
import { rebuild, type LocalRewrite, type Phase } from '../../graph/rewrite.js';
import { useCounts } from '../../graph/traverse.js';
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

/**
 * (A·B)ᵀ -> Bᵀ·Aᵀ, one gemm with its operands swapped instead of a product and a transposed copy
 * (the gradient of a tied weight used as Wᵀ has this form). Only where the product has no other use,
 * which a local rewrite cannot see: hence a pass over the whole graph.
 */
export const transposedProducts: Phase = {
  name: 'transposed products',
  run(outputs) {
    let current = [...outputs];
    // A swap rebuilds every node below it, whose use counts the pass then no longer knows: pass again.
    for (let pass = 0; pass < 8; pass++) {
      const uses = useCounts(current);
      const swap: LocalRewrite = (node) => {
        const product = node.inputs[0];
        if (!isMatrixTranspose(node.outputs[0]) || product.owner?.op.name !== 'dot' || uses.get(product) !== 1) return null;
        const [a, b] = product.owner.inputs;
        if (a.ndim !== 2 || b.ndim !== 2) return null;
        const { transA, transB } = product.owner.attrs as DotAttrs;
        return applyOp(product.owner.op, [b, a], { transA: !transB, transB: !transA }).outputs;
      };
      const result = rebuild(current, { rewrites: [swap] });
      current = result.outputs;
      if (!result.changed) break;
    }
    return current;
  },
};
