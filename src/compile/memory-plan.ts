// The memory plan: which buffers live from call to call, so that a steady-state training step allocates
// nothing. Each node output keeps its buffer unless it escapes; an update's buffer is swapped into its
// shared variable, and the variable's old storage becomes that node's buffer for the next call.
import type { SharedVariable, Variable } from '../graph/variable.js';

export interface MemoryPlan {
  /** Values that go to the caller, or to two shared variables (which would then alias): fresh every call. */
  readonly escaping: ReadonlySet<Variable>;
  /** Per update: whether its buffer is swapped in (else its value is copied into a new one). */
  readonly swapped: readonly boolean[];
}

/** The plan for `graph`: its first `outputCount` outputs, then each update's new value. */
export function memoryPlan(graph: readonly Variable[], outputCount: number): MemoryPlan {
  const updates = graph.slice(outputCount);
  const escaping = new Set<Variable>(graph.slice(0, outputCount));
  updates.forEach((v, i) => updates.indexOf(v) !== i && escaping.add(v));
  // A leaf (an input, a constant, another shared variable) is not ours to hand over.
  const swapped = updates.map((v) => v.owner !== null && !escaping.has(v));
  return { escaping, swapped };
}

/** For NABLA_DEBUG: which updates swap buffers and how many values escape. */
export function describeMemory(plan: MemoryPlan, targets: readonly SharedVariable[]): string {
  const swapped = targets.filter((_, i) => plan.swapped[i]);
  const copied = targets.filter((_, i) => !plan.swapped[i]);
  return `${plan.escaping.size} values get fresh buffers every call; swapped in: ${swapped.join(', ') || 'none'}; copied: ${copied.join(', ') || 'none'}`;
}
