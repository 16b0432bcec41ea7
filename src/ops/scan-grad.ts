// Back-propagation through time: the gradient of a scan is a second scan that runs the step's
// vector-Jacobian product from the last step to the first. It reads the forward states as sequences
// (so random draws inside the step replay from the same counters) and carries, per recurrent output, a
// window of the gradients its later steps sent back to earlier rows, and per non-sequence a running sum.
import { rebuild } from '../graph/rewrite.js';
import { applyOp, type Variable, type VectorJacobian } from '../graph/variable.js';
import { add, ge, minimum, mul, sub } from './elementwise.js';
import { at, incSubtensor, slice } from './indexing.js';
import { concatenate, zerosLike } from './shape.js';
import type { ScanAttrs, ScanMaker } from './scan-graph.js';

const isFloat = (v: Variable) => v.dtype !== 'int32';

/** Rows first, first - 1, ..., 0 of x: a sequence read from its end. */
const backwards = (x: Variable, first: Variable) => at(x, slice(first, null, -1));

/** Positions of the values that are true. */
const where = (flags: readonly boolean[]) => flags.flatMap((f, i) => (f ? [i] : []));

export function scanGradient(
  maker: ScanMaker, inputs: readonly Variable[], outputs: readonly Variable[], outputGrads: readonly (Variable | null)[],
  attrs: ScanAttrs, vjp: VectorJacobian,
): (Variable | null)[] {
  const { graph, lastOnly, truncate } = attrs;
  const [S, R] = [graph.sequences.length, graph.stateCount];
  const [n, ...rest] = inputs;
  const seqs = rest.slice(0, S);
  const initials = rest.slice(S, S + R);
  const nonSeqs = rest.slice(S + R);
  const lags = initials.map((_, j) => graph.lag(j));

  // Every state's rows at every step: this node's, or a copy's that keeps them all.
  const states = lastOnly.some(Boolean)
    ? applyOp(maker.op, inputs, { ...attrs, lastOnly: lastOnly.map(() => false) }).outputs.slice(0, R)
    : outputs.slice(0, R);
  const stateGrads = outputGrads.slice(0, R).map((g, j) => (g && lastOnly[j] ? incSubtensor(zerosLike(states[j]), [slice(-1)], g, true) : g));
  const plainGrads = outputGrads.slice(R);

  const last = sub(n, 1);
  const steps = truncate === null ? n : minimum(n, truncate);
  const floatStates = where(initials.map(isFloat));
  const floatNonSeqs = where(nonSeqs.map(isFloat));
  const gradStates = floatStates.filter((j) => stateGrads[j]);
  const gradOutputs = where(plainGrads.map((g) => g !== null));

  // The backward loop's sequences: the forward sequences, every tap's value, then the incoming gradients.
  const tapValues = initials.flatMap((_, j) => graph.tapOffsets[j].map((k) => backwards(states[j], add(last, lags[j] + k))));
  const sequences = [
    ...seqs.map((s) => backwards(s, last)),
    ...tapValues,
    ...gradStates.map((j) => backwards(stateGrads[j]!, add(last, lags[j]))),
    ...gradOutputs.map((m) => backwards(plainGrads[m]!, last)),
  ];
  // Its states: per float state a window of `lag` rows of gradient, per float non-sequence a sum.
  const windowStates = floatStates.flatMap((j) => Array.from({ length: lags[j] }, () => ({ initial: zerosLike(at(initials[j], slice(0, 1))), taps: [-1], label: `d${j}` })));
  const sumStates = floatNonSeqs.map((l) => ({ initial: zerosLike(nonSeqs[l]).dimshuffle(['x', ...nonSeqs[l].type.shape.map((_, d) => d)]), taps: [-1], label: `d${l}` }));

  const backward = maker.loop({
    nSteps: steps,
    sequences,
    states: [...windowStates, ...sumStates],
    nonSequences: nonSeqs,
    lastOnly: [...windowStates, ...sumStates].map(() => true),
    step: (rows, taps, shared) => {
      const seqRows = rows.slice(0, S);
      let next = S;
      const tapRows = graph.tapOffsets.map((offsets) => offsets.map(() => rows[next++]));
      const incomingState = new Map(gradStates.map((j) => [j, rows[next++]]));
      const incomingOutput = new Map(gradOutputs.map((m) => [m, rows[next++]]));
      const windows = new Map<number, Variable[]>();
      let w = 0;
      for (const j of floatStates) windows.set(j, taps.slice(w, (w += lags[j])).map(([t]) => t));
      const sums = taps.slice(w).map(([t]) => t);

      const replace = new Map<Variable, Variable>([
        ...graph.sequences.map((v, i) => [v, seqRows[i]] as const),
        ...graph.taps.flatMap((ts, j) => ts.map((v, k) => [v, tapRows[j][k]] as const)),
        ...graph.nonSequences.map((v, l) => [v, shared[l]] as const),
      ]);
      const stepOutputs = rebuild(graph.outputs, { replace }).outputs;
      const seeds: [Variable, Variable][] = [
        ...floatStates.map((j): [Variable, Variable] => {
          const window = windows.get(j)!;
          const fromLater = window[lags[j] - 1];
          const incoming = incomingState.get(j);
          return [stepOutputs[j], incoming ? add(fromLater, incoming) : fromLater];
        }),
        ...gradOutputs.map((m): [Variable, Variable] => [stepOutputs[R + m], incomingOutput.get(m)!]),
      ];
      const floatSeqs = where(seqRows.map(isFloat));
      const floatTaps = floatStates.flatMap((j) => tapRows[j]);
      const grads = vjp(seeds, [...floatSeqs.map((i) => seqRows[i]), ...floatTaps, ...floatNonSeqs.map((l) => shared[l])]);
      const seqGrads = grads.slice(0, floatSeqs.length);
      const tapGrads = grads.slice(floatSeqs.length, floatSeqs.length + floatTaps.length);
      const nonSeqGrads = grads.slice(floatSeqs.length + floatTaps.length);

      // Window row r holds the gradient of the row `lag - r` steps before the current one.
      let g = 0;
      const newWindows = floatStates.flatMap((j) => {
        const window = windows.get(j)!;
        const sent = new Map(graph.tapOffsets[j].map((k) => [lags[j] + k, tapGrads[g++]!]));
        return window.map((_, r) => {
          const carried = r === 0 ? null : window[r - 1];
          const here = sent.get(r);
          return carried && here ? add(carried, here) : carried ?? here ?? zerosLike(window[r]);
        });
      });
      return {
        states: [...newWindows, ...sums.map((s, i) => add(s, nonSeqGrads[i]!))],
        outputs: seqGrads.map((d) => d!),
      };
    },
  });

  // The backward loop ran over the last `steps` steps, from the end: put its rows back in order.
  const seqGrad = new Map(where(seqs.map(isFloat)).map((i, k) => [i, backward.outputs[k]]));
  let s = 0;
  const initialGrad = new Map(floatStates.map((j) => {
    const rows = backward.states.slice(s, (s += lags[j]));
    let d = rows.length === 1 ? rows[0] : concatenate(rows, 0);
    // A truncated backward loop that stops short of step 0 sends nothing to the initial rows.
    if (truncate !== null) d = mul(d, ge(steps, n).astype(d.dtype));
    // Gradients of the initial rows themselves (kept in the state's rows) pass straight through.
    const own = stateGrads[j];
    return [j, own ? add(d, at(own, slice(0, lags[j]))) : d];
  }));
  const nonSeqGrad = new Map(floatNonSeqs.map((l, k) => [l, backward.states[s + k].at(0)]));
  return [
    null,
    ...seqs.map((x, i) => {
      const d = seqGrad.get(i);
      return d ? incSubtensor(zerosLike(x), [slice(sub(n, steps), n)], at(d, slice(null, null, -1)), true) : null;
    }),
    ...initials.map((_, j) => initialGrad.get(j) ?? null),
    ...nonSeqs.map((_, l) => nonSeqGrad.get(l) ?? null),
  ];
}
