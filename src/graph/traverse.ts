// Walking graphs: the nodes between some inputs and outputs, in an order where inputs come first.
import type { Apply, Variable } from './variable.js';

/**
 * Every Apply that `outputs` depend on, each after the nodes computing its inputs; with `cut`, not the
 * nodes that only variables in it depend on (what gets replaced need not be visited).
 */
export function topoSort(outputs: readonly Variable[], cut?: { has(v: Variable): boolean }): Apply[] {
  const order: Apply[] = [];
  const seen = new Set<Apply>();
  // An explicit stack: deep graphs (long unrolled recurrences) would overflow recursion.
  const stack: { node: Apply; expanded: boolean }[] = [];
  const expands = (v: Variable) => v.owner !== null && !seen.has(v.owner) && !cut?.has(v);
  for (const out of outputs) {
    if (expands(out)) stack.push({ node: out.owner!, expanded: false });
    while (stack.length > 0) {
      const top = stack[stack.length - 1];
      if (top.expanded) {
        stack.pop();
        if (!seen.has(top.node)) {
          seen.add(top.node);
          order.push(top.node);
        }
        continue;
      }
      top.expanded = true;
      for (const input of top.node.inputs) {
        if (expands(input)) stack.push({ node: input.owner!, expanded: false });
      }
    }
  }
  return order;
}

/** Every variable without an owner (inputs, constants, shared variables) that `outputs` depend on. */
export function graphLeaves(outputs: readonly Variable[]): Variable[] {
  const leaves = new Set<Variable>();
  for (const out of outputs) if (!out.owner) leaves.add(out);
  for (const node of topoSort(outputs)) for (const v of node.inputs) if (!v.owner) leaves.add(v);
  return [...leaves];
}

/** How many times each variable is used as an input of a node or as one of `outputs`. */
export function useCounts(outputs: readonly Variable[]): Map<Variable, number> {
  const uses = new Map<Variable, number>();
  const use = (v: Variable) => uses.set(v, (uses.get(v) ?? 0) + 1);
  for (const node of topoSort(outputs)) node.inputs.forEach(use);
  outputs.forEach(use);
  return uses;
}
