// Back-propagation through time: the gradient of a scan is a second scan that runs the step's
// vector-Jacobian product from the last step to the first. It reads the forward values as sequences
// (the step's outputs are not computed again, and random draws replay from the same counters) and
// carries, per recurrent output, a window of the gradients its later steps sent back to earlier rows.
// A non-sequence's gradient is a sum over the steps: its terms that are products (u ⊗ v of vectors,
// Aᵀ·B of matrices, as for the weights of a product x·W) leave the loop as stacked factors and become
// one matrix product over all steps; only the other terms are summed step by step.
import { rebuild } from '../graph/rewrite.js';
import { applyOp, Variable, type VectorJacobian } from '../graph/variable.js';
import { add, ge, minimum, mul, sub } from './elementwise.js';
import { at, incSubtensor, slice } from './indexing.js';
import { dot } from './linalg.js';
import { concatenate, isZeros, zerosLike } from './shape.js';
import { rowOf, type ScanAttrs, type ScanMaker, type StateSpec } from './scan-graph.js';

const isFloat = (v: Variable) => v.dtype !== 'int32';

/** Rows first, first - 1, ..., 0 of x: a sequence read from its end. */
const backwards = (x: Variable, first: Variable) => at(x, slice(first, null, -1));

/** Positions of the values that are true. */
const where = (flags: readonly boolean[]) => flags.flatMap((f, i) => (f ? [i] : []));

const samePattern = (v: Variable, pattern: readonly (number | 'x')[]) =>
  v.owner?.op.name === 'dimshuffle' && JSON.stringify(v.owner.attrs.pattern) === JSON.stringify(pattern);

/** The two factors of u ⊗ v (vectors) or Aᵀ·B (matrices), whose sum over steps is one product. */
function productFactors(term: Variable): [Variable, Variable] | null {
  const node = term.owner;
  if (node?.op.name === 'mul' && node.inputs.length === 2) {
    const [a, b] = node.inputs;
    if (samePattern(a, [0, 'x']) && samePattern(b, ['x', 0])) return [a.owner!.inputs[0], b.owner!.inputs[0]];
  }
  if (node?.op.name === 'dot' && !node.attrs.transA && !node.attrs.transB) {
    const [a, b] = node.inputs;
    if (b.ndim === 2 && samePattern(a, [1, 0])) return [a.owner!.inputs[0], b];
  }
  return null;
}

/** A gradient split into its product terms and the sum of the rest (null when none). */
function splitTerms(g: Variable): { products: [Variable, Variable][]; rest: Variable | null } {
  const terms: Variable[] = [];
  const pending = [g];
  while (pending.length > 0) {
    const v = pending.pop()!;
    const node = v.owner;
    // Sums of gradients of the same shape (reverse mode adds one per use of the variable).
    const whole = node?.op.name === 'add' && node.inputs.every((x) => x.type.equals(v.type));
    if (whole) pending.push(...node!.inputs);
    else terms.push(v);
  }
  const products: [Variable, Variable][] = [];
  let rest: Variable | null = null;
  for (const term of terms) {
    // A non-sequence the step does not differentiate through sends back zeros: nothing to sum.
    if (isZeros(term)) continue;
    const factors = productFactors(term);
    if (factors) products.push(factors);
    else rest = rest ? add(rest, term) : term;
  }
  return { products, rest };
}

/** Σ over steps of u_t ⊗ v_t or A_tᵀ·B_t, from the factors stacked over steps. */
function productOverSteps(a: Variable, b: Variable): Variable {
  if (a.ndim === 2) return dot(a.T, b);
  const rows = (x: Variable) => x.reshape([-1, x.shape.at(2)]);
  return dot(rows(a).T, rows(b));
}

export function scanGradient(
  maker: ScanMaker, inputs: readonly Variable[], outputs: readonly Variable[],
  outputGrads: readonly (Variable | null)[], attrs: ScanAttrs, vjp: VectorJacobian, wanted: readonly boolean[],
): (Variable | null)[] {
  const { graph, lastOnly, truncate } = attrs;
  const [S, R, P] = [graph.sequences.length, graph.stateCount, graph.outputs.length - graph.stateCount];
  const [n, ...rest] = inputs;
  const seqs = rest.slice(0, S);
  const initials = rest.slice(S, S + R);
  const nonSeqs = rest.slice(S + R);
  const lags = initials.map((_, j) => graph.lag(j));

  // Every state's rows at every step: this node's, or a copy's that keeps them all.
  const forward = lastOnly.some(Boolean)
    ? applyOp(maker.op, inputs, { ...attrs, lastOnly: lastOnly.map(() => false) }).outputs
    : outputs;
  const states = forward.slice(0, R);
  // The gradient of a last-only output is that of the last row.
  const lastRow = (g: Variable, j: number) => incSubtensor(zerosLike(states[j]), [slice(-1)], g, true);
  const stateGrads = outputGrads.slice(0, R).map((g, j) => (g && lastOnly[j] ? lastRow(g, j) : g));
  const plainGrads = outputGrads.slice(R);

  const last = sub(n, 1);
  const steps = truncate === null ? n : minimum(n, truncate);
  const floatStates = where(initials.map(isFloat));
  // Gradients only for what the cost needs (a mask sequence needs none).
  const needed = (v: Variable, k: number) => isFloat(v) && wanted[k];
  const floatNonSeqs = where(nonSeqs.map((v, l) => needed(v, 1 + S + R + l)));
  const gradSeqs = where(seqs.map((v, i) => needed(v, 1 + i)));
  const gradStates = floatStates.filter((j) => stateGrads[j]);
  const gradOutputs = where(plainGrads.map((g) => g !== null));

  // The backward loop's sequences: the forward sequences, every tap's value, the step's outputs, then the
  // incoming gradients.
  const sequences = [
    ...seqs.map((s) => backwards(s, last)),
    ...initials.flatMap((_, j) => graph.tapOffsets[j].map((k) => backwards(states[j], add(last, lags[j] + k)))),
    ...states.map((s, j) => backwards(s, add(last, lags[j]))),
    ...forward.slice(R).map((o) => backwards(o, last)),
    ...gradStates.map((j) => backwards(stateGrads[j]!, add(last, lags[j]))),
    ...gradOutputs.map((m) => backwards(plainGrads[m]!, last)),
  ];
  // Its first states: per float state, a window of `lag` rows of gradient.
  const zeroRow = (j: number) => zerosLike(at(initials[j], slice(0, 1)));
  const windowStates: StateSpec[] = floatStates.flatMap((j) =>
    Array.from({ length: lags[j] }, (_, r) => ({ initial: zeroRow(j), taps: [-1], label: `window ${r} of d${j}` })));

  /** One backward step from the loop's placeholders (the windows' taps only). */
  const stepBack = (rows: Variable[], windowTaps: Variable[], shared: Variable[]) => {
    let next = 0;
    const take = (count: number) => rows.slice(next, (next += count));
    const seqRows = take(S);
    const tapRows = graph.tapOffsets.map((offsets) => take(offsets.length));
    const storedRows = take(R + P);
    const incomingState = new Map(gradStates.map((j) => [j, rows[next++]]));
    const incomingOutput = new Map(gradOutputs.map((m) => [m, rows[next++]]));
    let w = 0;
    const windows = new Map(floatStates.map((j) => [j, windowTaps.slice(w, (w += lags[j]))]));

    const replace = new Map<Variable, Variable>([
      ...graph.sequences.map((v, i) => [v, seqRows[i]] as const),
      ...graph.taps.flatMap((ts, j) => ts.map((v, k) => [v, tapRows[j][k]] as const)),
      ...graph.nonSequences.map((v, l) => [v, shared[l]] as const),
    ]);
    const stepOutputs = rebuild(graph.outputs, { replace }).outputs;
    const seeds: [Variable, Variable][] = [
      ...floatStates.map((j): [Variable, Variable] => {
        const fromLater = windows.get(j)![lags[j] - 1];
        const incoming = incomingState.get(j);
        return [stepOutputs[j], incoming ? add(fromLater, incoming) : fromLater];
      }),
      ...gradOutputs.map((m): [Variable, Variable] => [stepOutputs[R + m], incomingOutput.get(m)!]),
    ];
    const floatTaps = floatStates.flatMap((j) => tapRows[j]);
    const wrt = [...gradSeqs.map((i) => seqRows[i]), ...floatTaps, ...floatNonSeqs.map((l) => shared[l])];
    // The gradient reads the step's outputs (sigmoid's and softmax's use them) from the forward loop.
    const stored = new Map(stepOutputs.map((o, i) => [o, storedRows[i]]));
    const grads = rebuild(vjp(seeds, wrt).map((g, i) => g ?? zerosLike(wrt[i])), { replace: stored }).outputs;
    const tapGrads = grads.slice(gradSeqs.length, gradSeqs.length + floatTaps.length);

    // Window row r holds the gradient of the row `lag - r` steps before the current one.
    let g = 0;
    const newWindows = floatStates.flatMap((j) => {
      const window = windows.get(j)!;
      const sent = new Map(graph.tapOffsets[j].map((k) => [lags[j] + k, tapGrads[g++]]));
      return window.map((_, r) => {
        const carried = r === 0 ? null : window[r - 1];
        const here = sent.get(r);
        return carried && here ? add(carried, here) : carried ?? here ?? zerosLike(window[r]);
      });
    });
    return {
      windows: newWindows,
      seqGrads: grads.slice(0, gradSeqs.length),
      nonSeqGrads: grads.slice(gradSeqs.length + floatTaps.length).map(splitTerms),
    };
  };

  // Which non-sequences need a running sum, and how many products leave the loop, shows in the step's
  // gradient: a first build on bare placeholders tells.
  const probe = stepBack(
    sequences.map((s, i) => rowOf(s, `probe ${i}`)),
    windowStates.map((s) => rowOf(s.initial, 'probe')),
    nonSeqs.map((v) => new Variable(v.type)),
  );
  const summed = where(probe.nonSeqGrads.map((t) => t.rest !== null));
  const sumStates: StateSpec[] = summed.map((i) => {
    const v = nonSeqs[floatNonSeqs[i]];
    return { initial: zerosLike(v).dimshuffle(['x', ...v.type.shape.map((_, d) => d)]), taps: [-1], label: `sum of d${v}` };
  });

  const backward = maker.loop({
    nSteps: steps,
    sequences,
    states: [...windowStates, ...sumStates],
    nonSequences: nonSeqs,
    lastOnly: [...windowStates, ...sumStates].map(() => true),
    step: (rows, taps, shared) => {
      const b = stepBack(rows, taps.slice(0, windowStates.length).map(([t]) => t), shared);
      const sums = taps.slice(windowStates.length).map(([t], k) => add(t, b.nonSeqGrads[summed[k]].rest!));
      return {
        states: [...b.windows, ...sums],
        outputs: [...b.seqGrads, ...b.nonSeqGrads.flatMap((t) => t.products.flat())],
      };
    },
  });

  // The backward loop ran over the last `steps` steps, from the end: put its rows back in order.
  const seqGrad = new Map(gradSeqs.map((i, k) => [i, backward.outputs[k]]));
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
  let factor = seqGrad.size;
  const nonSeqGrad = new Map(floatNonSeqs.map((l, i) => {
    const factors = () => backward.outputs[factor++];
    const parts = probe.nonSeqGrads[i].products.map(() => productOverSteps(factors(), factors()));
    const k = summed.indexOf(i);
    if (k >= 0) parts.push(backward.states[s + k].at(0));
    return [l, parts.length > 0 ? parts.reduce((a, b) => add(a, b)) : zerosLike(nonSeqs[l])];
  }));
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
