// The step of a scan as a graph of its own: placeholders for row t of each sequence, for the earlier
// values of each recurrent output and for the values every step shares, and the step's results. Tracing
// a step function builds it: whatever the step uses from outside becomes a shared input, and each random
// stream it draws from becomes a recurrent counter, so every step draws new numbers.
import { TensorType } from '../graph/type.js';
import { rebuild } from '../graph/rewrite.js';
import { graphLeaves, topoSort } from '../graph/traverse.js';
import { afterTheLoop, hoistPerStepWork, rowOf } from './scan-hoist.js';

export { rowOf };
import { Constant, nextVariableId, SharedVariable, Variable, type Apply, type Op } from '../graph/variable.js';

let nextGraphId = 0;

/** A step graph. Its inputs: sequence rows, then each state's taps, then the non-sequences. */
export class ScanGraph {
  readonly id = nextGraphId++;

  constructor(
    readonly sequences: readonly Variable[],
    /** Per recurrent output, a placeholder per tap. */
    readonly taps: readonly (readonly Variable[])[],
    readonly nonSequences: readonly Variable[],
    /** Per recurrent output, the earlier steps it reads: negative offsets, as Theano's taps. */
    readonly tapOffsets: readonly (readonly number[])[],
    /** The recurrent outputs' new values, then the outputs not fed back. */
    readonly outputs: readonly Variable[],
    /** The random streams drawn from in the step, whose counters are the last recurrent outputs. */
    readonly streams: readonly SharedVariable[] = [],
    /**
     * How many of the last outputs are products inside the step, kept per step only so that the
     * gradient reads them instead of computing them again (no user sees them).
     */
    readonly saved = 0,
  ) {}

  get inputs(): Variable[] {
    return [...this.sequences, ...this.taps.flat(), ...this.nonSequences];
  }

  get stateCount(): number {
    return this.taps.length;
  }

  /** How many rows before step 0 recurrent output j reads (its initial value's rows). */
  lag(j: number): number {
    return -Math.min(...this.tapOffsets[j]);
  }

  /** The same loop over other placeholders (in the order of `inputs`) and outputs computed from them. */
  remade(inputs: readonly Variable[], outputs: readonly Variable[]): ScanGraph {
    let next = this.sequences.length;
    const taps = this.taps.map((ts) => inputs.slice(next, (next += ts.length)));
    const sequences = inputs.slice(0, this.sequences.length);
    return new ScanGraph(sequences, taps, inputs.slice(next), this.tapOffsets, outputs, this.streams, this.saved);
  }

  /** Attributes are compared as JSON when equal nodes merge: a step graph equals only itself. */
  toJSON(): string {
    return `scan graph ${this.id}`;
  }
}

export interface ScanAttrs extends Record<string, unknown> {
  graph: ScanGraph;
  /** Per recurrent output: keep only its last value (the gradient's accumulators), not every step's. */
  lastOnly: readonly boolean[];
  /** Back-propagation through time stops this many steps back; null: through every step. */
  truncate: number | null;
}

/** A recurrent output of a step being traced: its initial rows ([lag, ...row]) and taps. */
export interface StateSpec {
  initial: Variable;
  taps: readonly number[];
  /** Names it in errors (`outputs[1]`). */
  label: string;
}

/** What a step returns: the states' new values (in order) and the other outputs. */
export interface StepResult {
  states: Variable[];
  outputs: Variable[];
}

export interface StepSpec {
  sequences: readonly Variable[];
  states: readonly StateSpec[];
  nonSequences: readonly Variable[];
  /** Builds one step from placeholders: the states' new values (in order) and the other outputs. */
  step(sequences: Variable[], taps: Variable[][], nonSequences: Variable[]): StepResult;
  /**
   * A loop a user wrote, not a gradient's: work on the rows alone moves out of it, and its products are
   * kept per step for its gradient (ScanGraph.saved).
   */
  userLoop?: boolean;
}

/** A traced step and the outer values its inputs stand for. */
export interface TracedStep {
  graph: ScanGraph;
  /** The sequences the loop reads: the given ones, or what was computed from them before the loop. */
  sequences: Variable[];
  /** Placeholders for each given state's values over all steps, which `afterValues` are computed from. */
  after: Variable[];
  /** Per output not fed back: its value computed after the loop, or null where the loop computes it. */
  afterValues: (Variable | null)[];
  /** The initial rows of every state: the given ones, then one per random stream's counter. */
  initials: Variable[];
  /** The given non-sequences, then the outer values the step used directly. */
  nonSequences: Variable[];
  /** The counters of the random streams drawn from inside the step, in the order of their states. */
  streams: SharedVariable[];
}

/**
 * The nodes made while the step ran that belong inside the loop: those that read a placeholder or
 * another such node, draw random numbers, or compute from constants only. What they read from outside
 * is computed once, before the loop.
 */
function insideNodes(outputs: readonly Variable[], placeholders: ReadonlySet<Variable>, marker: number): Set<Variable> {
  // Nodes made while the step ran: variables made before it are not expanded.
  const order = topoSort(outputs, { has: (v: Variable) => v.id < marker });
  const inside = new Set<Variable>();
  for (const node of order) {
    const reads = node.inputs.some((v) => placeholders.has(v) || inside.has(v));
    const constant = node.inputs.every((v) => v instanceof Constant);
    // A random stream's counter, read by a draw or by a scan that draws, makes every step differ.
    const counts = node.inputs.some((v) => v instanceof SharedVariable && Boolean(v.defaultUpdate));
    if (reads || node.op.random || counts || constant) node.outputs.forEach((o) => inside.add(o));
  }
  return inside;
}

function checkState(spec: StateSpec, next: Variable): void {
  const row = spec.initial.type.shape.slice(1);
  const fits = next.dtype === spec.initial.dtype && next.ndim === row.length &&
    next.type.shape.every((d, i) => d === null || row[i] === null || d === row[i]);
  if (!fits) {
    const initial = new TensorType(spec.initial.dtype, row);
    throw new Error(`scan: the step returns ${next.type} for ${spec.label}, whose initial value is ${initial}; they must agree (convert with astype)`);
  }
}

/** The matrix products a step computes, other than its outputs: the costly part of computing it again. */
function productsIn(outputs: readonly Variable[]): Variable[] {
  const products = topoSort(outputs).filter((node) => node.op.name === 'dot').map((node) => node.outputs[0]);
  return products.filter((v) => !outputs.includes(v));
}

/** A step's inputs: its row and loop-invariant placeholders, with the outer values they stand for. */
interface StepInputs {
  rows: Variable[];
  sequences: Variable[];
  sharedIn: Variable[];
  sharedOut: Variable[];
}

/**
 * Moves the work on sequence rows alone before the loop and the outputs computed from the states' new
 * values alone after it (scan-hoist.ts), then drops the inputs only that work read.
 */
function moveWorkOut(
  outputs: Variable[], stateCount: number, states: readonly StateSpec[], counters: readonly Variable[],
  inputs: StepInputs,
): StepInputs & { outputs: Variable[]; after: Variable[]; afterValues: (Variable | null)[] } {
  let { rows, sequences, sharedIn, sharedOut } = inputs;
  const invariants = new Map(sharedIn.map((v, l) => [v, sharedOut[l]]));
  const hoisted = hoistPerStepWork(outputs, rows, sequences, invariants);
  if (hoisted) ({ outputs, rows, sequences } = hoisted);
  const overAllSteps = (st: StateSpec) => st.initial.type.with({ shape: [null, ...st.initial.type.shape.slice(1)] });
  const after = states.map((st) => new Variable(overAllSteps(st), null, 0, st.label));
  const plain = outputs.slice(stateCount);
  const afterValues = afterTheLoop(plain, outputs.slice(0, stateCount), after, invariants);
  outputs = [...outputs.slice(0, stateCount), ...plain.filter((_, m) => !afterValues[m])];
  const used = new Set(graphLeaves([...outputs, ...counters]));
  sharedOut = sharedOut.filter((_, l) => used.has(sharedIn[l]));
  sharedIn = sharedIn.filter((v) => used.has(v));
  return { outputs, rows, sequences, sharedIn, sharedOut, after, afterValues };
}

/** Runs the step once on placeholders and turns what it built into a step graph. */
export function traceStep(spec: StepSpec): TracedStep {
  const sequences = spec.sequences.map((s, i) => rowOf(s, `${s.name ?? `sequences[${i}]`}[t]`));
  const taps = spec.states.map((st) => st.taps.map((k) => rowOf(st.initial, `${st.label}[t${k}]`)));
  const nonSequences = spec.nonSequences.map((v, i) => new Variable(v.type, null, 0, v.name ?? `nonSequences[${i}]`));
  const marker = nextVariableId();
  const result = spec.step(sequences, taps, nonSequences);
  result.states.forEach((next, j) => checkState(spec.states[j], next));
  const returned = [...result.states, ...result.outputs];

  const placeholders = new Set([...sequences, ...taps.flat(), ...nonSequences]);
  const inside = insideNodes(returned, placeholders, marker);
  const outside = new Set<Variable>();
  const use = (v: Variable) => {
    if (!placeholders.has(v) && !inside.has(v) && !(v instanceof Constant)) outside.add(v);
  };
  returned.forEach(use);
  for (const v of inside) v.owner!.inputs.forEach(use);

  const replace = new Map<Variable, Variable>();
  const streams: SharedVariable[] = [];
  const captured: Variable[] = [];
  for (const v of outside) {
    if (v instanceof SharedVariable && v.defaultUpdate) streams.push(v);
    else captured.push(v);
  }
  const streamTaps = streams.map((c) => new Variable(c.type, null, 0, `${c}[t-1]`));
  const capturedInputs = captured.map((v) => new Variable(v.type, null, 0, v.name));
  streams.forEach((c, i) => replace.set(c, streamTaps[i]));
  captured.forEach((v, i) => replace.set(v, capturedInputs[i]));
  // A stream drawn from by a scan inside the step moves on by that scan's steps, not by one.
  const innerScans = streamsAfterScans(returned);
  const nextCounters = rebuild(streams.map((c) => innerScans.get(c) ?? c.defaultUpdate!), { replace }).outputs;
  let outputs = rebuild(returned, { replace }).outputs;
  const stateCount = result.states.length;

  const inputs = {
    rows: sequences, sequences: [...spec.sequences],
    sharedIn: [...nonSequences, ...capturedInputs], sharedOut: [...spec.nonSequences, ...captured],
  };
  const kept = outputs.slice(stateCount).map(() => null);
  const moved = spec.userLoop
    ? moveWorkOut(outputs, stateCount, spec.states, nextCounters, inputs)
    : { ...inputs, outputs, after: [], afterValues: kept };
  ({ outputs } = moved);
  const saved = spec.userLoop ? productsIn(outputs) : [];

  const graph = new ScanGraph(
    moved.rows,
    [...taps, ...streamTaps.map((t) => [t])],
    moved.sharedIn,
    [...spec.states.map((s) => s.taps), ...streams.map(() => [-1])],
    [...outputs.slice(0, stateCount), ...nextCounters, ...outputs.slice(stateCount), ...saved],
    streams,
    saved.length,
  );
  return {
    graph,
    sequences: moved.sequences,
    after: moved.after,
    afterValues: moved.afterValues,
    initials: [...spec.states.map((s) => s.initial), ...streams.map((c) => c.dimshuffle(['x']))],
    nonSequences: moved.sharedOut,
    streams,
  };
}

/**
 * The counter of each random stream drawn from inside a scan of `graph`, after that scan's last step:
 * where the stream's counter stands once the graph has run.
 */
export function streamsAfterScans(graph: readonly Variable[]): Map<SharedVariable, Variable> {
  const after = new Map<SharedVariable, Variable>();
  for (const node of topoSort(graph)) {
    const step = (node.attrs as { graph?: unknown }).graph;
    if (node.op.name !== 'scan' || !(step instanceof ScanGraph)) continue;
    const first = step.stateCount - step.streams.length;
    step.streams.forEach((c, i) => after.has(c) || after.set(c, node.outputs[first + i].at(-1)));
  }
  return after;
}

/** The scan node's output types: each state's rows (its initial rows first), then each output per step. */
export function scanTypes(types: readonly TensorType[], { graph, lastOnly }: ScanAttrs): TensorType[] {
  const [n, ...rest] = types;
  if (n.rank !== 0 || n.dtype !== 'int32') throw new Error(`scan: nSteps is ${n}; it must be an int32 scalar`);
  const counts = [graph.sequences.length, graph.stateCount, graph.nonSequences.length];
  if (rest.length !== counts[0] + counts[1] + counts[2]) {
    throw new Error(`scan: ${rest.length} inputs for a step of ${counts[0]} sequences, ${counts[1]} recurrent outputs and ${counts[2]} non-sequences`);
  }
  const check = (outer: TensorType, inner: TensorType, what: string, perStep: boolean) => {
    if (outer.dtype !== inner.dtype || outer.rank !== inner.rank + (perStep ? 1 : 0)) {
      throw new Error(`scan: ${what} is ${outer} where the step takes ${inner}${perStep ? ' per step' : ''}`);
    }
  };
  lastOnly.forEach((last, j) => {
    if (last && graph.lag(j) !== 1) throw new Error(`scan: output ${j} reads ${graph.lag(j)} steps back, so it cannot keep only its last value`);
  });
  const seqs = rest.slice(0, counts[0]);
  const initials = rest.slice(counts[0], counts[0] + counts[1]);
  seqs.forEach((t, i) => check(t, graph.sequences[i].type, `sequence ${i}`, true));
  initials.forEach((t, j) => check(t, graph.taps[j][0].type, `the initial value of output ${j}`, true));
  rest.slice(counts[0] + counts[1]).forEach((t, l) => check(t, graph.nonSequences[l].type, `non-sequence ${l}`, false));
  return [
    ...initials.map((t, j) => t.with({ shape: [lastOnly[j] ? 1 : null, ...t.shape.slice(1)] })),
    ...graph.outputs.slice(counts[1]).map((o) => new TensorType(o.dtype, [null, ...o.type.shape])),
  ];
}

export interface LoopSpec extends StepSpec {
  nSteps: Variable;
  /** Per state: keep only its last value instead of every step's. */
  lastOnly?: readonly boolean[];
  truncate?: number | null;
}

/** A scan node's results, split by kind. */
export interface Loop {
  node: Apply;
  /** Per given state, its rows: the initial ones then one per step (only the last one with lastOnly). */
  states: Variable[];
  /** The outputs not fed back, one row per step. */
  outputs: Variable[];
  /** Each random stream drawn from in the step, with its counter after the last step. */
  streams: [SharedVariable, Variable][];
}

/** Builds a scan node from a step (the gradient's backward loop is one too). */
export type LoopBuilder = (spec: LoopSpec) => Loop;

/** What scan's gradient builds with: the op (to re-run a loop keeping every state) and the builder. */
export interface ScanMaker {
  op: Op<ScanAttrs, 'scan'>;
  loop: LoopBuilder;
}
