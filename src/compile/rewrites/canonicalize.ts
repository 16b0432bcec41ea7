// Canonicalising rewrites: compute at compile time what does not depend on inputs or state.
import type { LocalRewrite } from '../../graph/rewrite.js';
import { applyOp, Constant, type Apply, type Variable } from '../../graph/variable.js';
import { NDArray } from '../../ndarray/index.js';
import { referenceKernels } from '../../backends/reference/index.js';
import { allocateFresh } from '../../backends/backend.js';
import { compilerOps, isZeros, type KernelOpName } from '../../ops/index.js';

/** Folding stops at this many elements, so a large constant is not built at every compile. */
const FOLD_LIMIT = 1 << 16;

/** op(constants...) -> the constant it computes (never for random ops). */
export const constantFolding: LocalRewrite = (node: Apply) => {
  if (node.op.random || node.op.name in compilerOps || !node.inputs.every((v) => v instanceof Constant)) return null;
  const kernel = referenceKernels[node.op.name as KernelOpName];
  const values = kernel(node.inputs.map((c) => (c as Constant).value), node.attrs, node, allocateFresh);
  return values.every((v) => v.size <= FOLD_LIMIT) ? values.map((v) => new Constant(v)) : null;
};

/** shape(x) -> a constant when x's shape is known at compile time. */
export const knownShape: LocalRewrite = (node: Apply) => {
  if (node.op.name !== 'shape') return null;
  const dims = node.inputs[0].type.shape;
  if (dims.some((d) => d === null)) return null;
  return [new Constant(new NDArray('int32', [dims.length], Int32Array.from(dims as number[])))];
};

/** The earliest value with v's shape along a chain of one-input element-wise ops (square(W) -> W). */
function sameShapeSource(v: Variable): Variable {
  let source = v;
  while (source.owner && source.owner.inputs.length === 1 && (source.owner.op.elementwise || source.owner.op.name === 'cast')) source = source.owner.inputs[0];
  return source;
}

/**
 * An input read only for its shape is read from the earliest value of that shape, so the gradient of
 * sum(square(W)), which broadcasts to square(W)'s shape, does not keep square(W) alive beside the loop
 * that sums it.
 */
export const shapeFromSource: LocalRewrite = (node: Apply) => {
  const shapeOnly = node.op.shapeOnlyInputs;
  if (!shapeOnly) return null;
  const inputs = node.inputs.map((v, i) => (shapeOnly.includes(i) ? sameShapeSource(v) : v));
  return inputs.every((v, i) => v === node.inputs[i]) ? null : applyOp(node.op, inputs, node.attrs).outputs;
};

/**
 * x + (zeros with y added into a region) -> x with y added into the region. The gradient of each slice
 * of a value is such a scatter into zeros, and reverse mode adds them up: an LSTM's four gate slices
 * become one chain of increments, without four arrays of zeros and three sums.
 */
export const addOfScatteredZeros: LocalRewrite = (node: Apply) => {
  if (node.op.name !== 'add' || node.inputs.length !== 2) return null;
  const out = node.outputs[0].type;
  for (const [x, scattered] of [node.inputs, [...node.inputs].reverse()]) {
    const inc = scattered.owner;
    const increments = inc?.op.name === 'incSubtensor' || (inc?.op.name === 'advancedIncSubtensor' && !inc.attrs.set);
    if (!increments || !isZeros(inc!.inputs[0]) || !x.type.equals(out) || !scattered.type.equals(out)) continue;
    return applyOp(inc!.op, [x, ...inc!.inputs.slice(1)], { ...inc!.attrs, set: false }).outputs;
  }
  return null;
};

export const canonicalRewrites: readonly LocalRewrite[] = [
  knownShape, constantFolding, shapeFromSource, addOfScatteredZeros,
];
