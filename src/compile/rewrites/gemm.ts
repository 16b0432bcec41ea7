// Products folded into gemm (Theano's GemmOptimizer): a matrix expression that is a sum of scaled
// terms, one of them a product used nowhere else, becomes β·C + α·A·B computed in one pass over C.
// An SGD step W − lr·(xᵀg + 2λW) is gemm(W, −lr, xᵀ, g, 1 − 2λ·lr): no gradient buffer is written and
// read back, and fn.ts lets the gemm write straight into W's storage (in-place.ts).
import { topoSort, useCounts } from '../../graph/traverse.js';
import { rebuild, type LocalRewrite, type Phase } from '../../graph/rewrite.js';
import { applyOp, Constant, type Variable } from '../../graph/variable.js';
import { asVariable, cast, div, gemmOp, mul, add, type DotAttrs } from '../../ops/index.js';

/** A scalar factor: a plain number where it is a constant, else a 0-d variable. */
type Coefficient = number | Variable;

interface Term {
  value: Variable;
  coefficient: Coefficient;
}

const LINEAR_OPS = new Set(['add', 'sub', 'neg', 'mul', 'div']);

/** The scalar a value stands for (a 0-d variable, a one-element constant, a broadcast of either), or null. */
function scalarOf(v: Variable): Coefficient | null {
  if (v instanceof Constant && v.value.size === 1) return Number(v.value.data[0]);
  if (v.ndim === 0) return v;
  const op = v.owner?.op.name;
  const source = v.owner?.inputs[0];
  if ((op === 'broadcastLike' || op === 'dimshuffle') && source!.type.shape.every((d) => d === 1)) return scalarOf(source!);
  return null;
}

/** Whether `v` has every element of `root` itself, rather than broadcasting along an axis. */
const fills = (v: Variable, root: Variable) => v.ndim === root.ndim && v.type.shape.every((d, i) => d !== 1 || root.type.shape[i] === 1);

/**
 * `root` as Σ coefficient·value, descending through add, sub, neg and scaling by scalars into values
 * used only there; `interior` collects the values descended into.
 */
function linearTerms(root: Variable, uses: ReadonlyMap<Variable, number>, interior: Set<Variable>): Term[] {
  const { dtype } = root;
  const asScalar = (c: Coefficient) => (typeof c === 'number' ? asVariable(c, dtype) : c.dtype === dtype ? c : cast(c, dtype));
  const times = (c: Coefficient, s: Coefficient) => (typeof c === 'number' && typeof s === 'number' ? c * s : c === 1 ? s : s === 1 ? c : mul(asScalar(c), asScalar(s)));
  const over = (c: Coefficient, s: Coefficient) => (typeof c === 'number' && typeof s === 'number' ? c / s : div(asScalar(c), asScalar(s)));
  const terms: Term[] = [];
  const visit = (v: Variable, coefficient: Coefficient): void => {
    const node = v.owner;
    const open = node && LINEAR_OPS.has(node.op.name) && v.dtype === dtype && (v === root || uses.get(v) === 1);
    if (open) {
      const [a, b] = node.inputs;
      const parts = ((): [Variable, Coefficient][] | null => {
        switch (node.op.name) {
          case 'add': return fills(a, root) && fills(b, root) ? [[a, coefficient], [b, coefficient]] : null;
          case 'sub': return fills(a, root) && fills(b, root) ? [[a, coefficient], [b, times(coefficient, -1)]] : null;
          case 'neg': return [[a, times(coefficient, -1)]];
          case 'mul': {
            const [sa, sb] = [scalarOf(a), scalarOf(b)];
            if (sa !== null && fills(b, root)) return [[b, times(coefficient, sa)]];
            return sb !== null && fills(a, root) ? [[a, times(coefficient, sb)]] : null;
          }
          default: {
            const sb = scalarOf(b);
            return sb !== null && fills(a, root) ? [[a, over(coefficient, sb)]] : null;
          }
        }
      })();
      if (parts) {
        interior.add(v);
        for (const [part, c] of parts) visit(part, c);
        return;
      }
    }
    const same = terms.find((t) => t.value === v);
    if (same) same.coefficient = typeof same.coefficient === 'number' && typeof coefficient === 'number' ? same.coefficient + coefficient : add(asScalar(same.coefficient), asScalar(coefficient));
    else terms.push({ value: v, coefficient });
  };
  visit(root, 1);
  return terms;
}

/** A matrix product that nothing else uses, so folding it into a gemm computes it once. */
const isLoneProduct = (v: Variable, uses: ReadonlyMap<Variable, number>) =>
  v.owner?.op.name === 'dot' && v.owner.inputs.every((x) => x.ndim === 2) && uses.get(v) === 1;

/** `root` as nested gemms, or null when it has no lone product or more than one other term. */
function asGemm(root: Variable, terms: readonly Term[], uses: ReadonlyMap<Variable, number>): Variable | null {
  if (terms.some((t) => t.value.dtype !== root.dtype)) return null;
  const products = terms.filter((t) => isLoneProduct(t.value, uses));
  const rest = terms.filter((t) => !products.includes(t));
  if (products.length === 0 || rest.length > 1 || (rest.length === 0 && products.length === 1)) return null;
  const scalar = (c: Coefficient) => (typeof c === 'number' ? asVariable(c, root.dtype) : c.dtype === root.dtype ? c : cast(c, root.dtype));
  // C is the one other term, else the first product itself (β·A·B computed by a plain dot).
  const [first, ...others] = rest.length === 1 ? [rest[0], ...products] : products;
  let result = first.value;
  let beta = scalar(first.coefficient);
  for (const { value, coefficient } of others) {
    const [a, b] = value.owner!.inputs;
    result = applyOp(gemmOp, [result, scalar(coefficient), a, b, beta], value.owner!.attrs as DotAttrs).outputs[0];
    beta = asVariable(1, root.dtype);
  }
  return result;
}

/** The pass: every outermost linear matrix expression with a lone product becomes gemm. */
export const productsIntoGemm: Phase = {
  name: 'products into gemm',
  run(outputs) {
    const uses = useCounts(outputs);
    const interior = new Set<Variable>();
    const replacements = new Map<Variable, Variable>();
    // Outermost first, so an expression is folded whole and not from the inside.
    for (const node of topoSort(outputs).reverse()) {
      const v = node.outputs[0];
      if (interior.has(v) || v.ndim !== 2 || !LINEAR_OPS.has(node.op.name)) continue;
      const inside = new Set<Variable>();
      const folded = asGemm(v, linearTerms(v, uses, inside), uses);
      if (!folded) continue;
      inside.forEach((x) => interior.add(x));
      replacements.set(v, folded);
    }
    const rewrite: LocalRewrite = (node) => (replacements.has(node.outputs[0]) ? [replacements.get(node.outputs[0])!] : null);
    return rebuild(outputs, { rewrites: [rewrite] }).outputs;
  },
};
