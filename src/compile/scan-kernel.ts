// The one kernel that needs the compiler: scan runs its step, compiled once by the same pipeline as any
// function, n times. Each step reads row t of every sequence and the earlier rows of every recurrent
// output (views, no copies) and its results are copied into row t of the outputs.
import { NDArray, formatShape, sameShape, sizeOf } from '../ndarray/index.js';
import type { Apply } from '../graph/variable.js';
import type { ScanAttrs } from '../ops/index.js';
import type { Kernel } from '../backends/backend.js';

/** The compiled step: its outputs from its inputs (sequence rows, taps, non-sequences). */
export type StepRun = (args: readonly NDArray[]) => NDArray[];

const rowShapes = new WeakMap<NDArray, { shape: readonly number[]; size: number }>();

/** Row `i` of x, sharing its storage (every row of x shares one shape array). */
function row(x: NDArray, i: number): NDArray {
  let rows = rowShapes.get(x);
  if (!rows) {
    const shape = Object.freeze(x.shape.slice(1));
    rowShapes.set(x, (rows = { shape, size: sizeOf(shape) }));
  }
  return NDArray.trustedView(x.dtype, rows.shape, x.data.subarray(i * rows.size, (i + 1) * rows.size));
}

function fail(message: string): never {
  throw new Error(`scan: ${message}`);
}

/** The kernel of one scan node, running `step`. */
export function scanKernel(node: Apply, step: StepRun): Kernel {
  const { graph, lastOnly } = node.attrs as ScanAttrs;
  const [S, R] = [graph.sequences.length, graph.stateCount];
  const plainTypes = graph.outputs.slice(R).map((o) => o.type);
  return (inputs, _attrs, _node, allocate) => {
    const n = inputs[0].data[0];
    if (n < 0) fail(`nSteps is ${n}; it must not be negative`);
    const seqs = inputs.slice(1, 1 + S);
    const initials = inputs.slice(1 + S, 1 + S + R);
    const nonSeqs = inputs.slice(1 + S + R);
    seqs.forEach((s, i) => {
      if (s.shape[0] < n) fail(`sequence ${i} has ${s.shape[0]} rows, fewer than the ${n} steps`);
    });
    const lags = initials.map((_, j) => graph.lag(j));
    const states = initials.map((init, j) => {
      if (init.shape[0] !== lags[j]) fail(`the initial value of output ${j} has ${init.shape[0]} rows; its taps need ${lags[j]}`);
      const rows = lastOnly[j] ? 1 : lags[j] + n;
      const buffer = allocate(init.dtype, [rows, ...init.shape.slice(1)], j);
      buffer.data.set(lastOnly[j] ? row(init, lags[j] - 1).data : init.data);
      return buffer;
    });
    // Outputs not fed back take their row shape from step 0 (with no steps, from their type).
    const empty = (m: number) => allocate(plainTypes[m].dtype, [0, ...plainTypes[m].shape.map((d) => d ?? 0)], R + m);
    const plain = plainTypes.map((_, m) => (n === 0 ? empty(m) : null));
    const kept = new Set(states.filter((_, j) => lastOnly[j]).map((s) => s.data.buffer));
    // Where output j's row for step t is (for a state kept whole, after its initial rows).
    const at = (j: number, t: number) => (lastOnly[j] ? 0 : lags[j] + t);

    // One argument list, its rows replaced at each step: the loop's own cost is most of a small step's.
    const taps = graph.tapOffsets.flatMap((offsets, j) => offsets.map((k) => [j, k] as const));
    const args: NDArray[] = [...seqs, ...taps.map(() => seqs[0]), ...nonSeqs];
    // Shapes are checked in full at step 0; later steps of the same compiled step only by size.
    const fits = (value: NDArray, target: NDArray, t: number) =>
      t === 0 ? sameShape(value.shape, target.shape) : value.size === target.size;
    for (let t = 0; t < n; t++) {
      for (let i = 0; i < S; i++) args[i] = row(seqs[i], t);
      taps.forEach(([j, k], i) => void (args[S + i] = row(states[j], lastOnly[j] ? 0 : at(j, t) + k)));
      const results = step(args);
      // A result read from a last-only state's row (a tap passed through) is copied before that row changes.
      if (kept.size) results.forEach((r, i) => void (kept.has(r.data.buffer) && (results[i] = r.clone())));
      for (let j = 0; j < R; j++) {
        const value = results[j];
        const target = row(states[j], at(j, t));
        if (!fits(value, target, t)) {
          fail(`step ${t} returns shape ${formatShape(value.shape)} for output ${j}, whose initial value has rows of shape ${formatShape(target.shape)}`);
        }
        target.data.set(value.data);
      }
      for (let m = 0; m < plainTypes.length; m++) {
        const value = results[R + m];
        const output = (plain[m] ??= allocate(plainTypes[m].dtype, [n, ...value.shape], R + m));
        const target = row(output, t);
        if (!fits(value, target, t)) fail(`step ${t} returns shape ${formatShape(value.shape)} for output ${R + m}, ${formatShape(target.shape)} at step 0`);
        target.data.set(value.data);
      }
    }
    return [...states, ...plain.map((p) => p!)];
  };
}
