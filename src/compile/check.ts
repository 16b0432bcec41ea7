// Check mode (PyTensor's DebugMode, for the pipeline): before a compiled function's first call runs, each
// phase is checked not to change a value, and the first one that does is named:
//  - graph rewrites: the graph before and after, evaluated on the reference backend in float64;
//  - fusion: the fused graph against the unfused one, both on the compiling backend in the program's dtypes;
//  - in-place updates, memory plan, schedule: the function run with and without each, two calls in a row
//    (so buffers are reused and the second call reads what the first one's updates wrote).
// Every run uses the call's arguments and private copies of the shared variables: the function's state,
// random stream counters included, is left as it was, so the call itself draws what it would have drawn.
import type { NDArray } from '../ndarray/index.js';
import type { Variable } from '../graph/variable.js';
import { referenceBackend } from '../backends/reference/index.js';
import { compare, evaluate, type Leaves, type Named } from './check-values.js';
import { copiesOf, executable } from './executable.js';
import { pipeline, type Compilation } from './pipeline.js';

export interface PhaseCheck {
  phase: string;
  /** The largest |after − before| / max(1, |before|) of any value compared (0 where nothing changed). */
  difference: number;
  tolerance: number;
}

export interface CheckReport {
  /** The function's name, where fn was given one. */
  name?: string;
  phases: PhaseCheck[];
  /** The phase closest to its tolerance. */
  worst: PhaseCheck;
}

export type CheckOption = boolean | ((report: CheckReport) => void);

export interface CheckRequest {
  /** The compilation before the first phase, then after each phase in pipeline order. */
  trace: readonly Compilation[];
  inputs: readonly Variable[];
  args: readonly NDArray[];
  name?: string;
}

/** Calls of the function with and without a plan phase: the second reuses the first one's buffers. */
const CALLS = 2;

/** The graph's values named as outputs and updates. */
function named(c: Compilation, values: readonly NDArray[], prefix = ''): Named[] {
  return values.map((value, i) => {
    const v = c.graph[i];
    const what = i < c.outputCount ? `output ${i}${v.name ? ` (${v.name})` : ''}` : `the new value of ${c.targets[i - c.outputCount]}`;
    return { what: `${prefix}${what}`, value };
  });
}

/**
 * The compiled function as `c` plans it, called CALLS times on private state: each call's outputs, then
 * the shared variables it updates.
 */
function calls(c: Compilation, leaves: Leaves): Named[] {
  const run = executable(c, leaves.inputs);
  const state = copiesOf(c.targets);
  const results: Named[] = [];
  for (let call = 1; call <= CALLS; call++) {
    const outputs = run(leaves.args, state).map((v) => v.clone());
    results.push(...named(c, outputs, `call ${call}: `));
  }
  return [...results, ...c.targets.map((t) => ({ what: `${t} after ${CALLS} calls`, value: state.get(t) }))];
}

const sameGraph = (a: Compilation, b: Compilation) =>
  a.graph.length === b.graph.length && a.graph.every((v, i) => v === b.graph[i]);

/** Checks every phase of `trace`; throws naming the first phase that changes a value beyond round-off. */
export function checkPhases({ trace, inputs, args, name }: CheckRequest): CheckReport {
  const leaves: Leaves = { inputs, args, shared: copiesOf([]), widened: new Map() };
  // Phases that change nothing pass the graph on as it was: each graph is evaluated once each way.
  const memo = new Map<string, Named[]>();
  const valuesOf = (key: string, compute: () => Named[]) => memo.get(key) ?? memo.set(key, compute()).get(key)!;
  const graphKey = (c: Compilation) => c.graph.map((v) => v.id).join(',');
  const how = {
    rewrite: (c: Compilation) => valuesOf(`float64 ${graphKey(c)}`, () => named(c, evaluate(c.graph, referenceBackend, leaves, true))),
    fusion: (c: Compilation) => valuesOf(`compiled ${graphKey(c)}`, () => named(c, evaluate(c.graph, c.backend, leaves))),
    plan: (c: Compilation) => valuesOf(`calls ${trace.indexOf(c)}`, () => calls(c, leaves)),
  };
  const phases = pipeline.map((phase, k): PhaseCheck => {
    const [before, after] = [trace[k], trace[k + 1]];
    if (phase.kind !== 'plan' && sameGraph(before, after)) return { phase: phase.name, difference: 0, tolerance: 0 };
    const { difference, tolerance, beyond } = compare(how[phase.kind](before), how[phase.kind](after));
    if (beyond) throw new Error(`check: the ${phase.name} phase changes a value${name ? ` of ${name}` : ''}: ${beyond}`);
    return { phase: phase.name, difference, tolerance };
  });
  const closeness = (p: PhaseCheck) => (p.difference === 0 ? 0 : p.difference / p.tolerance);
  const worst = phases.reduce((a, b) => (closeness(b) > closeness(a) ? b : a));
  return { name, phases, worst };
}

const exponential = (d: number) => (d === 0 ? '0' : d.toExponential(1));

/** The line check mode prints on standard error. */
export function formatReport({ name, phases, worst }: CheckReport): string {
  const where = worst.difference === 0 ? '' : ` in ${worst.phase} (tolerance ${worst.tolerance})`;
  const each = phases.map((p) => `${p.phase} ${exponential(p.difference)}`).join(', ');
  return `check: ${phases.length} phases${name ? ` of ${name}` : ''}, worst difference ${exponential(worst.difference)}${where}; ${each}`;
}

/**
 * `call`, whose first call checks every phase (with the arguments it was given) before it runs, and prints
 * the report, or hands it to `option` where that is a function.
 */
export function checkedOnFirstCall<A extends unknown[], R>(
  call: (...args: A) => R, request: (args: A) => CheckRequest, option: CheckOption,
): (...args: A) => R {
  let pending = true;
  return (...args: A) => {
    if (pending) {
      pending = false;
      const report = checkPhases(request(args));
      if (typeof option === 'function') option(report);
      else console.error(formatReport(report));
    }
    return call(...args);
  };
}
