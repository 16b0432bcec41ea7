// Products folded into gemm (Theano's GemmOptimizer): a matrix expression that is a sum of scaled
// terms, one of them a product used nowhere else, becomes β·C + α·A·B computed in one pass over C.
// An SGD step W − lr·(xᵀg + 2λW) is gemm(W, −lr, xᵀ, g, 1 − 2λ·lr): no gradient buffer is written and
// read back, and fn.ts lets the gemm write straight into W's storage (in-place.ts).
import { topoSort, useCounts } from '../../graph/traverse.js';
import { rebuild, type LocalRewrite, type Phase } from '../../graph/rewrite.js';
import { applyOp, Constant, type Apply, type Variable } from '../../graph/variable.js';
import type { DType } from '../../ndarray/index.js';
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
const fills = (v: Variable, root: Variable) =>
  v.ndim === root.ndim && v.type.shape.every((d, i) => d !== 1 || root.type.shape[i] === 1);

/** Scalar arithmetic on coefficients: in JS where both are numbers, else as graph nodes of `dtype`. */
function coefficientMath(dtype: DType) {
  const asScalar = (c: Coefficient) => (typeof c === 'number' ? asVariable(c, dtype) : c.dtype === dtype ? c : cast(c, dtype));
  // Numbers combine in JS; anything else becomes a scalar node.
  const combine = (
    f: (x: number, y: number) => number, node: (x: Variable, y: Variable) => Variable,
  ) => (c: Coefficient, s: Coefficient) =>
    typeof c === 'number' && typeof s === 'number' ? f(c, s) : node(asScalar(c), asScalar(s));
  const product = combine((x, y) => x * y, mul);
  return {
    asScalar,
    times: (c: Coefficient, s: Coefficient) => (c === 1 ? s : s === 1 ? c : product(c, s)),
    over: combine((x, y) => x / y, div),
    plus: combine((x, y) => x + y, add),
  };
}
type CoefficientMath = ReturnType<typeof coefficientMath>;

/** The operands of a linear node with their coefficients, or null where it is not linear in full-size operands. */
function linearParts(
  node: Apply, coefficient: Coefficient, root: Variable, math: CoefficientMath,
): [Variable, Coefficient][] | null {
  const [a, b] = node.inputs;
  const both = () => fills(a, root) && fills(b, root);
  switch (node.op.name) {
    case 'add': return both() ? [[a, coefficient], [b, coefficient]] : null;
    case 'sub': return both() ? [[a, coefficient], [b, math.times(coefficient, -1)]] : null;
    case 'neg': return [[a, math.times(coefficient, -1)]];
    case 'mul': {
      const [sa, sb] = [scalarOf(a), scalarOf(b)];
      if (sa !== null && fills(b, root)) return [[b, math.times(coefficient, sa)]];
      return sb !== null && fills(a, root) ? [[a, math.times(coefficient, sb)]] : null;
    }
    case 'div': {
      const sb = scalarOf(b);
      return sb !== null && fills(a, root) ? [[a, math.over(coefficient, sb)]] : null;
    }
    default: return null;
  }
}

/**
 * `root` as Σ coefficient·value, descending through add, sub, neg and scaling by scalars into values
 * used only there; `interior` collects the values descended into.
 */
function linearTerms(root: Variable, uses: ReadonlyMap<Variable, number>, interior: Set<Variable>): Term[] {
  const math = coefficientMath(root.dtype);
  const terms: Term[] = [];
  const visit = (v: Variable, coefficient: Coefficient): void => {
    const node = v.owner;
    const open = node && v.dtype === root.dtype && (v === root || uses.get(v) === 1);
    const parts = open ? linearParts(node, coefficient, root, math) : null;
    if (parts) {
      interior.add(v);
      for (const [part, c] of parts) visit(part, c);
      return;
    }
    const same = terms.find((t) => t.value === v);
    if (same) same.coefficient = math.plus(same.coefficient, coefficient);
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
  const scalar = coefficientMath(root.dtype).asScalar;
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
    const rewrite: LocalRewrite = (node) =>
      (replacements.has(node.outputs[0]) ? [replacements.get(node.outputs[0])!] : null);
    return rebuild(outputs, { rewrites: [rewrite] }).outputs;
  },
};
