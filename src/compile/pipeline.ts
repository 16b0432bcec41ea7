// The compile pipeline: every phase of compilation, in the order it runs. The graph phases rewrite the
// graph (local rewrites run to a fixed point, or one pass over the whole graph); the plan phases then
// decide how the final graph runs. NABLA_DEBUG=1 prints the compilation after each phase; check mode
// (check.ts) tells which phase, if any, changes a value.
import { rebuild, type Phase } from '../graph/rewrite.js';
import { topoSort } from '../graph/traverse.js';
import type { Apply, SharedVariable, Variable } from '../graph/variable.js';
import { debugPrint } from '../graph/print.js';
import type { Backend } from '../backends/backend.js';
import { host } from '../backends/host.js';
import { stabilizingRewrites } from '../grad/index.js';
import { canonicalRewrites } from './rewrites/canonicalize.js';
import { specializingRewrites, transposedProducts } from './rewrites/specialize.js';
import { productsIntoGemm } from './rewrites/gemm.js';
import { describeInPlace, inPlaceUpdates, runInPlaceLast } from './in-place.js';
import { describeMemory, memoryPlan, type MemoryPlan } from './memory-plan.js';

/** How the final graph runs: what the plan phases decide. */
export interface Plan {
  /** Nodes that write their output over a shared variable's storage; they run after every other node. */
  readonly inPlace: ReadonlyMap<Apply, SharedVariable>;
  /** Which buffers live from call to call; null: fresh buffers every call, updates copied. */
  readonly memory: MemoryPlan | null;
  /** The nodes in the order they run; null: the order they were made in. */
  readonly order: readonly Apply[] | null;
}

/** One function's compilation, as far as the phases have taken it. */
export interface Compilation {
  readonly backend: Backend;
  /** The outputs, then the new value of each update target. */
  readonly graph: readonly Variable[];
  readonly outputCount: number;
  readonly targets: readonly SharedVariable[];
  readonly plan: Plan;
}

/** How check mode compares a phase's result with what came before it (check.ts). */
export type PhaseKind = 'rewrite' | 'fusion' | 'plan';

export interface PipelinePhase {
  readonly name: string;
  readonly kind: PhaseKind;
  run(c: Compilation): Compilation;
  /** What NABLA_DEBUG prints after the phase (default: the graph). */
  describe?(c: Compilation): string;
}

export const unplanned: Plan = { inPlace: new Map(), memory: null, order: null };

/** A graph phase's outputs: a whole-graph pass, or local rewrites until nothing changes (at most 4 passes). */
function runGraphPhase(phase: Phase, outputs: readonly Variable[]): Variable[] {
  if ('run' in phase) return phase.run(outputs);
  let current = [...outputs];
  for (let pass = 0; pass < 4; pass++) {
    // Rewrites make equal sub-graphs anew (two neg(x) from two rewrites): each pass merges them.
    const result = rebuild(current, { rewrites: phase.rewrites, merge: true });
    current = result.outputs;
    if (!result.changed) break;
  }
  return current;
}

const rewriting = (phase: Phase): PipelinePhase => ({ name: phase.name, kind: 'rewrite', run: (c) => ({ ...c, graph: runGraphPhase(phase, c.graph) }) });

const planning = (
  name: string, decide: (c: Compilation) => Partial<Plan>, describe: (c: Compilation) => string,
): PipelinePhase => ({
  name,
  kind: 'plan',
  run: (c) => ({ ...c, plan: { ...c.plan, ...decide(c) } }),
  describe,
});

export const pipeline: readonly PipelinePhase[] = [
  // Equal applications (same op, attributes and inputs) share one node.
  rewriting({ name: 'merge', rewrites: [] }),
  // Constant folding, shapes known at compile time.
  rewriting({ name: 'canonicalize', rewrites: canonicalRewrites }),
  // log-softmax, softplus forms, softmax cross-entropy (grad.ts applies them before differentiating too).
  rewriting({ name: 'stabilize', rewrites: stabilizingRewrites }),
  // dot absorbs transposed operands.
  rewriting({ name: 'specialize', rewrites: specializingRewrites }),
  rewriting(transposedProducts),
  rewriting(productsIntoGemm),
  // The backend's element-wise fusion (native: register programs run in one loop).
  { name: 'fuse', kind: 'fusion', run: (c) => (c.backend.fusion ? { ...c, graph: runGraphPhase(c.backend.fusion, c.graph) } : c) },
  planning('in-place updates', (c) => ({ inPlace: inPlaceUpdates(c.targets, c.graph, c.outputCount) }), (c) => describeInPlace(c.plan.inPlace)),
  planning('memory plan', (c) => ({ memory: memoryPlan(c.graph, c.outputCount) }), (c) => describeMemory(c.plan.memory!, c.targets)),
  // Depth first from the outputs, so a value is computed close to where it is used; in-place chains last.
  planning('schedule', (c) => ({ order: runInPlaceLast(topoSort(c.graph), c.plan.inPlace) }), (c) => c.plan.order!.map((n) => n.op.name).join(' → ')),
];

/**
 * Runs every phase of the pipeline on `start`. With `trace`, appends the compilation after each phase
 * (check mode compares consecutive ones).
 */
export function compile(start: Compilation, trace?: Compilation[]): Compilation {
  let current = start;
  for (const phase of pipeline) {
    current = phase.run(current);
    trace?.push(current);
    if (host().env('NABLA_DEBUG')) console.error(`── after ${phase.name}\n${phase.describe?.(current) ?? debugPrint(current.graph)}`);
  }
  return current;
}
