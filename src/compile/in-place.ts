// In-place updates (Theano's destroy handling, reduced to what updates need). A node whose op declares
// an `inPlaceInput` may write its output over that input's storage when the input is a shared variable
// whose new value is this output, or flows into it through a chain of such nodes, each output used
// only by the next. The chain then runs after every other node, so nothing reads the variable's old
// value once it is overwritten. An SGD step W ← βW + α·xᵀg is then one gemm into W's own buffer.
// Kernels never return views of their inputs (reshape copies), so only the variable itself aliases it.
import { useCounts } from '../graph/traverse.js';
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
 * Which nodes write into which shared variable's storage. `graph` holds the first `outputCount` outputs,
 * then each target's new value; outputs count as uses, so a value that also escapes to the caller is
 * never overwritten.
 */
export function inPlaceUpdates(
  targets: readonly SharedVariable[], graph: readonly Variable[], outputCount: number,
): Map<Apply, SharedVariable> {
  const uses = useCounts(graph);
  const outputs = graph.slice(0, outputCount);
  const chains = new Map<SharedVariable, Apply[]>();
  targets.forEach((target, i) => {
    const chain = outputs.includes(target) ? null : chainInto(target, graph[outputCount + i], uses);
    if (chain) chains.set(target, chain);
  });
  // Chains run last, so one must not read a variable another overwrites.
  const readers = (target: SharedVariable) =>
    [...chains].some(([other, chain]) => other !== target && chain.some((n) => n.inputs.includes(target)));
  const result = new Map<Apply, SharedVariable>();
  for (const [target, chain] of chains) if (!readers(target)) chain.forEach((node) => result.set(node, target));
  return result;
}

/** `nodes` (in dependency order) with the in-place chains moved after everything else. */
export function runInPlaceLast(nodes: readonly Apply[], inPlace: ReadonlyMap<Apply, SharedVariable>): Apply[] {
  return [...nodes.filter((n) => !inPlace.has(n)), ...nodes.filter((n) => inPlace.has(n))];
}

/** For NABLA_DEBUG: each node that writes over a shared variable, and which. */
export function describeInPlace(inPlace: ReadonlyMap<Apply, SharedVariable>): string {
  if (inPlace.size === 0) return 'no update is computed in place';
  return [...inPlace].map(([node, target]) => `${node.op.name} writes into ${target}`).join('\n');
}
