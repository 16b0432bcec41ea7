// Scan's rows of the op table: each recurrence through nb.scan, checked against the same recurrence
// unrolled step by step in a plain graph (computed in float64 on the reference backend), and its
// gradient against finite differences like every row.
import * as nb from '../../src/core.js';
import type { Variable } from '../../src/core.js';
import type { InputSpec, OpRow } from './op-table.js';
import type { Plain } from './plain.js';

const float = (name: string, shape: readonly (number | string)[]): InputSpec => ({ name, shape, domain: 'real' });

/** `build` applied to the inputs as float64 constants, computed on the reference backend. */
function unrolled(inputs: readonly Plain[], build: (values: Variable[]) => Variable): Plain {
  const constants = inputs.map((p) => nb.asVariable(nb.array(Float64Array.from(p.data), 'float64', p.shape)));
  const value = nb.fn([], build(constants), { backend: nb.referenceBackend })() as nb.NDArray | number;
  return typeof value === 'number' ? { shape: [], data: [value] } : { shape: [...value.shape], data: Array.from(value.data) };
}

/** Rows 0..n-1 of x's first axis, as variables. */
const rows = (x: Variable, n: number) => Array.from({ length: n }, (_, t) => x.at(t));

const elman = (x: Variable, h: Variable, W: Variable) => x.add(h.dot(W)).tanh();

/** One LSTM step with two hidden units: gates from one product, cell and hidden state out. */
function lstmStep(x: Variable, h: Variable, c: Variable, W: Variable, U: Variable, b: Variable): [Variable, Variable] {
  const z = x.dot(W).add(h.dot(U)).add(b);
  const gate = (k: number) => z.at(':', nb.slice(2 * k, 2 * k + 2));
  const cNext = gate(1).sigmoid().mul(c).add(gate(0).sigmoid().mul(gate(3).tanh()));
  return [gate(2).sigmoid().mul(cNext.tanh()), cNext];
}

/** x_t + tanh(x_{t-2}) * w - x_{t-1} / 2: a recurrence that reads two steps back. */
const twoTaps = (x: Variable, back2: Variable, back1: Variable, w: Variable) =>
  x.add(back2.tanh().mul(w)).sub(back1.mul(0.5));

const seqLength = (p: Plain) => p.shape[0];

export const scanRows: OpRow[] = [
  {
    name: 'scan: tanh RNN',
    fn: 'scan',
    inputs: [float('xs', ['t', 'n']), float('h0', ['n']), float('W', ['n', 'n'])],
    build: ([xs, h0, W]) => nb.scan((x, h) => elman(x, h, W), { sequences: xs, outputsInfo: h0 })[0][0],
    ref: (inputs) => unrolled(inputs, ([xs, h0, W]) => {
      let h = h0;
      return nb.stack(rows(xs, seqLength(inputs[0])).map((x) => (h = elman(x, h, W))));
    }),
    tol: 1e-12,
  },
  {
    // The input product moves before the loop and the output layer after it (scan-hoist.ts).
    name: 'scan: Elman network with its input product and output layer written inside the step',
    fn: 'scan',
    inputs: [float('xs', ['t', 'm']), float('h0', ['n']), float('Wx', ['m', 'n']), float('Wh', ['n', 'n']), float('W', ['n', 3])],
    build: ([xs, h0, Wx, Wh, W]) => nb.scan((x, hPrev) => {
      const h = x.dot(Wx).add(hPrev.dot(Wh)).sigmoid();
      return [h, nb.softmax(h.dot(W))];
    }, { sequences: xs, outputsInfo: [h0, null] })[0][1],
    ref: (inputs) => unrolled(inputs, ([xs, h0, Wx, Wh, W]) => {
      let h = h0;
      return nb.stack(rows(xs, seqLength(inputs[0])).map((x) => {
        h = x.dot(Wx).add(h.dot(Wh)).sigmoid();
        return nb.softmax(h.dot(W));
      }));
    }),
  },
  {
    name: 'scan: LSTM over a minibatch',
    fn: 'scan',
    inputs: [float('xs', ['t', 'b', 'n']), float('h0', ['b', 2]), float('c0', ['b', 2]), float('W', ['n', 8]), float('U', [2, 8]), float('bias', [8])],
    build: ([xs, h0, c0, W, U, b]) => {
      const step = (x: Variable, hPrev: Variable, cPrev: Variable) => lstmStep(x, hPrev, cPrev, W, U, b);
      const [[h, c]] = nb.scan(step, { sequences: xs, outputsInfo: [h0, c0] });
      return nb.concatenate([h, c], 2);
    },
    ref: (inputs) => unrolled(inputs, ([xs, h0, c0, W, U, b]) => {
      let [h, c] = [h0, c0];
      const steps = rows(xs, seqLength(inputs[0])).map((x) => {
        [h, c] = lstmStep(x, h, c, W, U, b);
        return nb.concatenate([h, c], 1);
      });
      return nb.stack(steps);
    }),
  },
  {
    name: 'scan: two taps back, a non-sequence and an output not fed back',
    fn: 'scan',
    inputs: [float('xs', ['t', 'n']), float('x0', [2, 'n']), float('w', ['n'])],
    dims: { t: [1, 5] },
    build: ([xs, x0, w]) => {
      const [[y, squares]] = nb.scan((x, back2, back1, wt) => [twoTaps(x, back2, back1, wt), back1.square()], {
        sequences: xs, outputsInfo: [{ initial: x0, taps: [-2, -1] }, null], nonSequences: [w],
      });
      return y.add(squares);
    },
    ref: (inputs) => unrolled(inputs, ([xs, x0, w]) => {
      const history = [x0.at(0), x0.at(1)];
      const steps = rows(xs, seqLength(inputs[0])).map((x) => {
        const [back2, back1] = history.slice(-2);
        history.push(twoTaps(x, back2, back1, w));
        return history[history.length - 1].add(back1.square());
      });
      return nb.stack(steps);
    }),
  },
  {
    name: 'scan: backwards, fixed number of steps',
    fn: 'scan',
    inputs: [float('xs', ['t', 'n']), float('h0', ['n']), float('W', ['n', 'n'])],
    dims: { t: [2, 5] },
    build: ([xs, h0, W]) =>
      nb.scan((x, h) => elman(x, h, W), { sequences: xs, outputsInfo: h0, goBackwards: true, nSteps: 2 })[0][0],
    ref: (inputs) => unrolled(inputs, ([xs, h0, W]) => {
      let h = h0;
      return nb.stack(rows(xs, seqLength(inputs[0])).reverse().slice(0, 2).map((x) => (h = elman(x, h, W))));
    }),
  },
];
