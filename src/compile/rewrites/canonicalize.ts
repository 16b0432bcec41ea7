// Canonicalising rewrites: compute at compile time what does not depend on inputs or state.
import type { LocalRewrite } from '../../graph/rewrite.js';
import { Constant, type Apply } from '../../graph/variable.js';
import { NDArray } from '../../ndarray/index.js';
import { referenceKernels } from '../../backends/reference/index.js';
import { allocateFresh } from '../../backends/backend.js';
import type { OpName } from '../../ops/index.js';

/** Folding stops at this many elements, so a large constant is not built at every compile. */
const FOLD_LIMIT = 1 << 16;

/** op(constants...) -> the constant it computes (never for random ops). */
export const constantFolding: LocalRewrite = (node: Apply) => {
  if (node.op.random || !node.inputs.every((v) => v instanceof Constant)) return null;
  const kernel = referenceKernels[node.op.name as OpName];
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

export const canonicalRewrites: readonly LocalRewrite[] = [knownShape, constantFolding];
