// What check mode compares: values computed before and after a phase, the graph evaluated with its floats
// widened to float64, and the difference between two lists of values.
import { NDArray, type DType } from '../ndarray/index.js';
import { graphLeaves, topoSort } from '../graph/traverse.js';
import { applyOp, Constant, SharedVariable, Variable, type Attrs } from '../graph/variable.js';
import type { Backend } from '../backends/backend.js';
import { executable, type SharedStorage } from './executable.js';
import { unplanned } from './pipeline.js';
import { constantFolding } from './rewrites/canonicalize.js';
import { ScanGraph } from '../ops/index.js';

/**
 * What a phase may change: |after − before| / max(1, |before|), by the dtype compared: a few thousand
 * float64 ulps for sums in another order; about 80 float32 ulps for fused loops that round differently.
 */
export const ROUND_OFF: Record<DType, number> = { float64: 1e-12, float32: 1e-5, int32: 0 };

/** A value with what it is, for messages: "output 0 (cost)", "W after 2 calls". */
export interface Named {
  what: string;
  value: NDArray;
}

export interface Difference {
  /** The largest difference over every element of every value. */
  difference: number;
  /** The largest tolerance among the values' dtypes. */
  tolerance: number;
  /** The first element beyond its value's tolerance, described, or null. */
  beyond: string | null;
}

/** One element's difference; a non-finite value before is replaced by anything (a stabilized form) but NaN. */
function elementDifference(before: number, after: number): number {
  if (!Number.isFinite(before)) return Number.isNaN(after) && !Number.isNaN(before) ? Infinity : 0;
  if (!Number.isFinite(after)) return Infinity;
  return Math.abs(after - before) / Math.max(1, Math.abs(before));
}

/** How far `after` is from `before`, each value allowed the round-off of its dtype. */
export function compare(before: readonly Named[], after: readonly Named[]): Difference {
  const result: Difference = { difference: 0, tolerance: 0, beyond: null };
  before.forEach(({ what, value: b }, k) => {
    const a = after[k].value;
    const tolerance = ROUND_OFF[b.dtype];
    result.tolerance = Math.max(result.tolerance, tolerance);
    if (b.size !== a.size || b.shape.some((d, i) => d !== a.shape[i])) {
      result.beyond ??= `${what} has shape [${a.shape.join(', ')}], was [${b.shape.join(', ')}]`;
      result.difference = Infinity;
      return;
    }
    for (let i = 0; i < b.size; i++) {
      const d = elementDifference(b.data[i], a.data[i]);
      result.difference = Math.max(result.difference, d);
      if (d > tolerance && !result.beyond) result.beyond = `${what}, element ${i}, is ${a.data[i]}, was ${b.data[i]} (difference ${d.toExponential(1)}, tolerance ${tolerance})`;
    }
  });
  return result;
}

const wider = (dtype: DType): DType => (dtype === 'float32' ? 'float64' : dtype);

/** `attrs` with a float32 dtype widened (cast's target, a random draw's dtype, a scan's step). */
function widerAttrs(attrs: Attrs): Attrs {
  if (attrs.graph instanceof ScanGraph) {
    const step = attrs.graph;
    const wide = widened(step.outputs, step.inputs);
    return { ...attrs, graph: step.remade(wide.inputs, wide.graph) };
  }
  return 'dtype' in attrs ? { ...attrs, dtype: wider(attrs.dtype as DType) } : attrs;
}

/**
 * `graph` rebuilt over float64 where it had float32: each leaf becomes an input, each node is made anew.
 * Constant expressions are computed in the program's own dtype first, as constant folding computes them,
 * so that folding them into float32 constants does not count as a change of value.
 */
function widened(graph: readonly Variable[], leaves: readonly Variable[]): { graph: Variable[]; inputs: Variable[] } {
  const mapped = new Map<Variable, Variable>();
  const folded = new Map<Variable, Constant>();
  const inputs = leaves.map((v) => {
    const input = new Variable(v.type.with({ dtype: wider(v.dtype) }), null, 0, v.name);
    mapped.set(v, input);
    return input;
  });
  const map = (v: Variable): Variable => {
    if (!mapped.has(v) && v instanceof Constant) mapped.set(v, new Constant(v.value.astype(wider(v.dtype))));
    return mapped.get(v)!;
  };
  for (const node of topoSort(graph)) {
    const constants = node.inputs.map((v) => (v instanceof Constant ? v : folded.get(v)));
    const values = constants.every((c) => c !== undefined)
      ? constantFolding(applyOp(node.op, constants, node.attrs))
      : null;
    if (values) {
      node.outputs.forEach((o, i) => {
        folded.set(o, values[i] as Constant);
        mapped.set(o, map(values[i]));
      });
      continue;
    }
    const made = applyOp(node.op, node.inputs.map(map), widerAttrs(node.attrs));
    node.outputs.forEach((o, i) => mapped.set(o, made.outputs[i]));
  }
  return { graph: graph.map(map), inputs };
}

/** Where a graph's leaves get their values: the arguments of the call, and the shared variables' copies. */
export interface Leaves {
  inputs: readonly Variable[];
  args: readonly NDArray[];
  shared: SharedStorage;
  /** Each leaf's value in float64, made once for every graph evaluated. */
  widened: Map<Variable, NDArray>;
}

/**
 * Every value of `graph` for one evaluation on `backend` in the plainest way (fresh buffers, the order
 * nodes were made in, no update applied); with `widen`, in float64.
 */
export function evaluate(graph: readonly Variable[], backend: Backend, leaves: Leaves, widen = false): NDArray[] {
  const compilation = { backend, graph, outputCount: graph.length, targets: [], plan: unplanned };
  if (!widen) return executable(compilation, leaves.inputs)(leaves.args, leaves.shared);
  const free = graphLeaves(graph).filter((v) => !(v instanceof Constant));
  const values = free.map((v) => {
    if (!leaves.widened.has(v)) {
      const value = v instanceof SharedVariable ? leaves.shared.get(v) : leaves.args[leaves.inputs.indexOf(v)];
      leaves.widened.set(v, value.astype(wider(value.dtype)));
    }
    return leaves.widened.get(v)!;
  });
  const wide = widened(graph, free);
  return executable(
    { ...compilation, graph: wide.graph, outputCount: wide.graph.length },
    wide.inputs,
  )(values, leaves.shared);
}
