// nb.scan beyond the op table's rows: random draws inside the step, gradients of gradients, truncated
// back-propagation, loops without sequences, values used from outside the step, and errors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as nb from '../../src/index.js';
import type { NDArray, SharedVariable, Variable } from '../../src/index.js';
import { rebuild } from '../../src/graph/rewrite.js';
import { graphLeaves } from '../../src/graph/traverse.js';

const backendName = (process.env.NABLA_TEST_BACKEND ?? 'reference') as nb.BackendName;
nb.setBackend(backendName);

const f64 = (values: number[], shape: number[]) => nb.array(Float64Array.from(values), 'float64', shape);
const values = (x: unknown) => Array.from((x as NDArray).data);

function assertNear(actual: readonly number[], expected: readonly number[], tol: number, what: string): void {
  assert.equal(actual.length, expected.length, what);
  actual.forEach((a, i) => assert.ok(Math.abs(a - expected[i]) <= tol * (1 + Math.abs(expected[i])), `${what}[${i}]: ${a} vs ${expected[i]}`));
}

/** One Gibbs step of a small RBM: hidden units sampled from the visible ones, then visible from hidden. */
function gibbs(rng: nb.RandomStreams, W: Variable, v: Variable): Variable {
  const h = rng.binomial(nb.shape(v.dot(W)), 1, v.dot(W).sigmoid(), 'float64');
  return rng.binomial(nb.shape(v), 1, h.dot(W.T).sigmoid(), 'float64');
}

test(`a Gibbs chain inside scan draws the same numbers as the chain unrolled (${backendName})`, () => {
  const W = nb.shared(f64([0.5, -1, 2, 0.3, -0.7, 1.5], [3, 2]), 'W');
  const v0 = nb.vector('v0', 'float64');
  const [[chain], updates] = nb.scan((v) => gibbs(new nb.RandomStreams(9), W, v), { outputsInfo: v0, nSteps: 6 });
  assert.equal(updates.length, 2, 'one update per random stream drawn from in the step');
  const sample = nb.fn([v0], chain);

  // The same step built once outside scan; copy t reads the counters as they are at step t.
  const vIn = nb.vector('v', 'float64');
  const one = gibbs(new nb.RandomStreams(9), W, vIn);
  const counters = graphLeaves([one]).filter((v): v is SharedVariable => v instanceof nb.SharedVariable && v !== W);
  assert.equal(counters.length, 2);
  const unrolledFrom = (offset: number) => {
    let v: Variable = v0;
    const steps: Variable[] = [];
    for (let t = 0; t < 6; t++) {
      const advanced = counters.map((c): [Variable, Variable] => [c, c.add(offset + t)]);
      const replace = new Map<Variable, Variable>([[vIn, v], ...advanced]);
      v = rebuild([one], { replace }).outputs[0];
      steps.push(v);
    }
    return nb.fn([v0], nb.stack(steps), { updates: counters.map((c) => [c, c] as const) });
  };
  const start = f64([1, 0, 1], [3]);
  const first = values(sample(start));
  assert.deepEqual(first, values(unrolledFrom(0)(start)));
  assert.ok(first.some((x) => x === 0) && first.some((x) => x === 1), 'the chain samples both values');
  // A second call goes on where the first stopped: the counters advanced by the six steps.
  assert.deepEqual(values(sample(start)), values(unrolledFrom(6)(start)));
});

test(`scan's updates passed to fn explicitly give the same numbers (${backendName})`, () => {
  const u = nb.vector('u', 'float64');
  const [[draws], updates] = nb.scan((x) => x.add(new nb.RandomStreams(4).uniform([2], 0, 1, 'float64')), { sequences: u.dimshuffle([0, 'x']) });
  const automatic = nb.fn([u], draws);
  const explicit = nb.fn([u], draws, { updates });
  const x = f64([0, 10, 20], [3]);
  const a = [values(automatic(x)), values(automatic(x))];
  updates.forEach(([c]) => c.set(nb.array(0, 'int32')));
  const b = [values(explicit(x)), values(explicit(x))];
  assert.deepEqual(a, b);
  assert.notDeepEqual(a[0], a[1], 'each call draws new numbers');
  assert.notDeepEqual(a[0].slice(0, 2), a[0].slice(2, 4).map((v) => v - 10), 'each step draws new numbers');
});

test(`a scan drawing inside a scan's step moves its stream on by all its steps (${backendName})`, () => {
  // Outer step t runs an inner loop of 3 draws and keeps the last: the draws of one flat loop of 12 steps.
  const draw = (rng: nb.RandomStreams) => rng.uniform([2], 0, 1, 'float64');
  const start = nb.asVariable(f64([0, 0], [2]));
  const nested = new nb.RandomStreams(5);
  const [[lastOfEach]] = nb.scan((previous: Variable) => {
    const [[inner]] = nb.scan((p: Variable) => draw(nested).add(p.mul(0)), { outputsInfo: previous, nSteps: 3 });
    return inner.at(-1);
  }, { outputsInfo: start, nSteps: 4 });
  const flat = new nb.RandomStreams(5);
  const [[all]] = nb.scan((p: Variable) => draw(flat).add(p.mul(0)), { outputsInfo: start, nSteps: 12 });
  const [a, b] = [nb.fn([], lastOfEach), nb.fn([], all)];
  for (let call = 0; call < 2; call++) {
    const every = values(b());
    assert.deepEqual(values(a()), [2, 5, 8, 11].flatMap((t) => every.slice(2 * t, 2 * t + 2)), `call ${call + 1}`);
  }
});

test(`the gradient of a gradient through scan matches finite differences (${backendName})`, () => {
  const xs = nb.matrix('xs', 'float64');
  const W = nb.shared(f64([0.4, -0.3, 0.2, 0.6], [2, 2]), 'W');
  const h0 = nb.asVariable(f64([0.1, -0.2], [2]));
  const [[h]] = nb.scan((x, hPrev) => x.add(hPrev.dot(W)).tanh(), { sequences: xs, outputsInfo: h0 });
  const cost = h.square().sum();
  const g = nb.grad(cost, W);
  const direction = f64([0.3, -1, 0.5, 0.2], [2, 2]);
  const hessianTimesDirection = nb.grad(g.mul(nb.asVariable(direction)).sum(), W);
  const X = f64([0.5, -1, 1.5, 0.2, -0.3, 0.8], [3, 2]);
  const gradient = nb.fn([xs], g);
  const analytic = values(nb.fn([xs], hessianTimesDirection)(X));
  const w0 = W.get();
  const at = (eps: number) => {
    W.set(f64(Array.from(w0.data, (w, i) => w + eps * direction.data[i]), [2, 2]));
    return values(gradient(X));
  };
  const step = 1e-5;
  const [up, down] = [at(step), at(-step)];
  W.set(w0);
  assertNear(analytic, up.map((u, i) => (u - down[i]) / (2 * step)), 1e-6, 'Hv');
});

test(`truncateGradient back-propagates through the last steps only (${backendName})`, () => {
  const xs = nb.matrix('xs', 'float64');
  const W = nb.shared(f64([0.4, -0.3, 0.2, 0.6], [2, 2]), 'W');
  const h0 = nb.asVariable(f64([0.1, -0.2], [2]));
  const run = (truncateGradient?: number) => {
    const step = (x: Variable, hPrev: Variable) => x.add(hPrev.dot(W)).tanh();
    const [[h]] = nb.scan(step, { sequences: xs, outputsInfo: h0, truncateGradient });
    return nb.fn([xs], nb.grad(h.at(-1).sum(), xs))(f64([0.5, -1, 1.5, 0.2, -0.3, 0.8, 0.1, 0.4], [4, 2]));
  };
  const full = values(run());
  const truncated = values(run(2));
  assert.deepEqual(truncated.slice(0, 4), [0, 0, 0, 0], 'rows before the last two get no gradient');
  assertNear(truncated.slice(4), full.slice(4), 1e-12, 'the last two rows');
  assert.ok(full.slice(0, 4).some((v) => v !== 0));
});

test(`scan without sequences, over values from outside the step (${backendName})`, () => {
  // Powers of a matrix applied to a vector: x_{t+1} = A x_t, with A computed once before the loop.
  const B = nb.matrix('B', 'float64');
  const A = B.mul(0.5);
  const steps = nb.iscalar('steps');
  const [[xs]] = nb.scan((x) => A.dot(x), { outputsInfo: nb.asVariable(f64([1, 1], [2])), nSteps: steps });
  const result = values(nb.fn([B, steps], xs)(f64([2, 0, 0, 4], [2, 2]), 3));
  assert.deepEqual(result, [1, 2, 1, 4, 1, 8]);
  assert.deepEqual(values(nb.fn([B, steps], xs)(f64([2, 0, 0, 4], [2, 2]), 0)), [], 'zero steps give no rows');
});

test(`scan's errors name what is wrong (${backendName})`, () => {
  const xs = nb.matrix('xs');
  assert.throws(() => nb.scan((x, h) => x.add(h).astype('float64'), { sequences: xs, outputsInfo: nb.vector('h0') }), /scan: the step returns float64\[\?\] for outputs\[0\], whose initial value is float32\[\?\]/);
  assert.throws(() => nb.scan((x) => [x, x], { sequences: xs, outputsInfo: [null] }), /scan: the step returns 2 outputs but outputsInfo has 1 entries/);
  assert.throws(() => nb.scan((h: Variable) => h, { outputsInfo: nb.vector('h0') }), /scan: give nSteps when there are no sequences/);
  assert.throws(() => nb.scan((x, a, b) => x.add(a).add(b), { sequences: xs, outputsInfo: { initial: nb.matrix('x0'), taps: [-1, 1] } }), /taps \[-1, 1\]; they must be distinct negative integers/);
  const [[h]] = nb.scan((x, hPrev) => x.add(hPrev), { sequences: xs, outputsInfo: nb.vector('h0'), nSteps: 3 });
  const f = nb.fn([xs, graphLeaves([h]).find((v) => v.name === 'h0')!], h);
  assert.throws(() => f(nb.zeros([2, 4]), nb.zeros([4])), /scan: sequence 0 has 2 rows, fewer than the 3 steps/);
  const [[y]] = nb.scan((x: Variable, _yPrev: Variable) => x, { sequences: xs, outputsInfo: nb.vector('y0') });
  const g = nb.fn([xs, graphLeaves([y]).find((v) => v.name === 'y0')!], y);
  assert.throws(() => g(nb.zeros([2, 4]), nb.zeros([5])), /scan: step 0 returns shape \[4\] for output 0, whose initial value has rows of shape \[5\]/);
});

test(`a scan inside a scan's step, and the gradient through both (${backendName})`, () => {
  const X = nb.tensor3('X', 'float64');
  const W = nb.shared(f64([0.3, -0.2, 0.1, 0.4], [2, 2]), 'W');
  const step = (x: Variable, hPrev: Variable) => x.add(hPrev.dot(W)).tanh();
  const inner = (xs: Variable, start: Variable) => nb.scan(step, { sequences: xs, outputsInfo: start })[0][0].at(-1);
  const [[last]] = nb.scan(inner, { sequences: X, outputsInfo: nb.asVariable(f64([0, 0], [2])) });
  const cost = last.square().sum();
  const Xv = f64(Array.from({ length: 12 }, (_, i) => Math.sin(i)), [3, 2, 2]);
  const analytic = values(nb.fn([X], nb.grad(cost, W))(Xv));
  const costAt = nb.fn([X], cost);
  const w0 = W.get();
  const numeric = Array.from(w0.data, (_, i) => {
    const shifted = (eps: number) => {
      W.set(f64(Array.from(w0.data, (w, k) => (k === i ? w + eps : w)), [2, 2]));
      return costAt(Xv) as number;
    };
    return (shifted(1e-6) - shifted(-1e-6)) / 2e-6;
  });
  W.set(w0);
  assertNear(analytic, numeric, 1e-6, 'd cost / d W');
});
