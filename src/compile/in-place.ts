// In-place updates (Theano's destroy handling, reduced to what updates need). A node whose op declares
// an `inPlaceInput` may write its output over that input's storage when the input is a shared variable
// whose new value is this output, or flows into it through a chain of such nodes, each output used
// only by the next. The chain then runs after every other node, so nothing reads the variable's old
// value once it is overwritten. An SGD step W ← βW + α·xᵀg is then one gemm into W's own buffer.
// Kernels never return views of their inputs (reshape copies), so only the variable itself aliases it.
import type { Apply, SharedVariable, Variable } from '../graph/variable.js';

/** The nodes of the chain that overwrites `target` with `value`, first to last, or null. */
function chainInto(target: SharedVariable, value: Variable, uses: ReadonlyMap<Variable, number>): Apply[] | null {
  const chain: Apply[] = [];
  let v = value;
  while (v.owner && v.owner.op.inPlaceInput !== undefined && uses.get(v) === 1) {
    const node = v.owner;
    const overwritten = node.inputs[node.op.inPlaceInput!];
    if (node.inputs.some((x, i) => x === target && i !== node.op.inPlaceInput)) return null;
    chain.unshift(node);
    if (overwritten === target) return chain;
    v = overwritten;
  }
  return null;
}

/**
 * Which nodes write into which shared variable's storage, for the given updates. `uses` counts the
 * outputs and updates as uses, so a value that also escapes to the caller is never overwritten.
 */
export function inPlaceUpdates(updates: readonly (readonly [SharedVariable, Variable])[], outputs: readonly Variable[], uses: ReadonlyMap<Variable, number>): Map<Apply, SharedVariable> {
  const chains = new Map<SharedVariable, Apply[]>();
  for (const [target, value] of updates) {
    const chain = outputs.includes(target) ? null : chainInto(target, value, uses);
    if (chain) chains.set(target, chain);
  }
  // Chains run last, so one must not read a variable another overwrites.
  const readers = (target: SharedVariable) => [...chains].some(([other, chain]) => other !== target && chain.some((n) => n.inputs.includes(target)));
  const result = new Map<Apply, SharedVariable>();
  for (const [target, chain] of chains) if (!readers(target)) chain.forEach((node) => result.set(node, target));
  return result;
}

/** `nodes` (in dependency order) with the in-place chains moved after everything else. */
export function runInPlaceLast(nodes: readonly Apply[], inPlace: ReadonlyMap<Apply, SharedVariable>): Apply[] {
  return [...nodes.filter((n) => !inPlace.has(n)), ...nodes.filter((n) => inPlace.has(n))];
}
