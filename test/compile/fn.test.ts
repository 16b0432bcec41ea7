// fn(): Theano's update semantics (every update after every output, all at once), givens that feed
// minibatches from a shared dataset, what a call returns, and the errors for misuse.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as nb from '../../src/index.js';
import type { NDArray } from '../../src/index.js';

nb.setBackend((process.env.NABLA_TEST_BACKEND ?? 'reference') as nb.BackendName);

const list = (r: unknown) => (r as NDArray).toArray();

test('a function returning W and updating W returns the old W', () => {
  const W = nb.shared(nb.array([1, 2]), 'W');
  const f = nb.fn([], [W, W.mul(10)], { updates: [[W, W.mul(2)]] });
  const [w1, w10] = f() as NDArray[];
  assert.deepEqual([list(w1), list(w10)], [[1, 2], [10, 20]]);
  assert.deepEqual(list(W.get()), [2, 4]);
  const [w2] = f() as NDArray[];
  assert.deepEqual(list(w2), [2, 4]);
  assert.deepEqual(list(w1), [1, 2], 'a returned value is not changed by later calls');
});

test('updates are applied together: each new value is computed from the old values (a swap works)', () => {
  const a = nb.shared(nb.array([1, 2]), 'a');
  const b = nb.shared(nb.array([3, 4]), 'b');
  const c = nb.shared(nb.array(0), 'c');
  const f = nb.fn([], null, { updates: [[a, b], [b, a], [c, a.sum().add(b.sum())]] });
  assert.equal(f(), undefined);
  assert.deepEqual([list(a.get()), list(b.get()), c.get().item()], [[3, 4], [1, 2], 10]);
  f();
  assert.deepEqual([list(a.get()), list(b.get())], [[1, 2], [3, 4]]);
});

test('one new value assigned to two shared variables leaves them independent', () => {
  const a = nb.shared(nb.array([1, 2]), 'a');
  const b = nb.shared(nb.array([0, 0]), 'b');
  const next = a.add(1);
  nb.fn([], null, { updates: [[a, next], [b, next]] })();
  nb.fn([], null, { updates: [[a, a.mul(10)]] })();
  assert.deepEqual([list(a.get()), list(b.get())], [[20, 30], [2, 3]]);
});

test('an output that is also an update value is returned as a copy, and kept by later calls', () => {
  const v = nb.shared(nb.array([1, 2]), 'v');
  const doubled = v.mul(2);
  const f = nb.fn([], doubled, { updates: [[v, doubled]] });
  const first = f() as NDArray;
  const second = f() as NDArray;
  assert.deepEqual([list(first), list(second), list(v.get())], [[2, 4], [4, 8], [4, 8]]);
});

test('returned arrays belong to the caller: the next call does not overwrite them, nor do they alias state', () => {
  const x = nb.vector('x');
  const W = nb.shared(nb.array([1, 1]), 'W');
  const f = nb.fn([x], [x.exp().add(W), W]);
  const [y1, w] = f([0, 0]) as NDArray[];
  f([1, 1]);
  assert.deepEqual(list(y1), [2, 2]);
  w.data[0] = 99;
  assert.deepEqual(list(W.get()), [1, 1]);
});

test('givens feed minibatches: x := data[i*bs : (i+1)*bs] with an iscalar index', () => {
  const data = nb.shared(nb.array(Float32Array.from({ length: 30 }, (_, k) => k), 'float32', [10, 3]), 'data');
  const labels = nb.shared(nb.array(Int32Array.from({ length: 10 }, (_, k) => k % 3), 'int32', [10]), 'labels');
  const [i, x, y] = [nb.iscalar('i'), nb.matrix('x'), nb.ivector('y')];
  const bs = 4;
  const batch = nb.slice(i.mul(bs), i.add(1).mul(bs));
  const f = nb.fn([i], [x.sum(1), y], { givens: [[x, nb.at(data, batch)], [y, labels.at(batch)]] });
  const [s0, y0] = f(0) as NDArray[];
  assert.deepEqual([list(s0), list(y0)], [[3, 12, 21, 30], [0, 1, 2, 0]]);
  const [s2, y2] = f(2) as NDArray[];
  assert.deepEqual([list(s2), list(y2)], [[75, 84], [2, 0]], 'the last minibatch is short, as Python slicing is');
});

test('givens and updates together train on minibatches of a shared dataset', () => {
  const n = 12;
  const xs = Float32Array.from({ length: n * 2 }, (_, k) => (k % 2 === 0 ? (k / 2) % 3 : 1));
  const ys = Int32Array.from({ length: n }, (_, k) => k % 3);
  const data = nb.shared(nb.array(xs, 'float32', [n, 2]), 'data');
  const labels = nb.shared(nb.array(ys, 'int32', [n]), 'labels');
  const W = nb.shared(nb.zeros([2, 3]), 'W');
  const [i, x, y] = [nb.iscalar('i'), nb.matrix('x'), nb.ivector('y')];
  const cost = nb.nll(nb.softmax(x.dot(W)), y);
  const batch = nb.slice(i.mul(4), i.add(1).mul(4));
  const train = nb.fn([i], cost, {
    updates: [[W, W.sub(nb.grad(cost, W).mul(0.5))]],
    givens: [[x, data.at(batch)], [y, labels.at(batch)]],
  });
  const costs = Array.from({ length: 30 }, (_, k) => train(k % 3) as number);
  assert.ok(Math.abs(costs[0] - Math.log(3)) < 1e-6, `first cost ${costs[0]} is log 3 at W = 0`);
  assert.ok(costs[29] < 0.8 * costs[0], `cost went from ${costs[0]} to ${costs[29]}`);
});

test('a call returns a number for a scalar output, an NDArray otherwise, a list for a list', () => {
  const x = nb.vector('x');
  assert.equal(nb.fn([x], x.sum())([1, 2]), 3);
  assert.ok(nb.fn([x], x.mul(2))([1, 2]) instanceof nb.NDArray);
  const both = nb.fn([x], [x.sum(), x.mul(2)])([1, 2]) as [number, NDArray];
  assert.equal(both[0], 3);
  assert.deepEqual(list(both[1]), [2, 4]);
  assert.deepEqual(nb.fn([x], [x.sum()])([1]), [1], 'a list of one output is still a list');
});

test('misuse is reported at compile time, naming the variables', () => {
  const x = nb.vector('x');
  const W = nb.shared(nb.zeros([3]), 'W');
  assert.throws(() => nb.fn([W], W.sum()), /fn: inputs\[0\] \(W\) is not an input variable; shared variables and constants are not passed in/);
  assert.throws(() => nb.fn([x, x], x.sum()), /fn: x is given twice as an input/);
  assert.throws(() => nb.fn([x], x.sum(), { updates: [[x as unknown as nb.SharedVariable, x]] }), /fn: updates: x is not a shared variable/);
  assert.throws(() => nb.fn([], null, { updates: [[W, nb.vector('v', 'float64')]] }), /fn: updates: W is float32\[3\] but its new value is float64\[\?\]/);
  assert.throws(() => nb.fn([], null, { updates: [[W, nb.zeros([4])]] }), /fn: updates: W is float32\[3\] but its new value is float32\[4\]/);
  assert.throws(() => nb.fn([], null, { updates: [[W, W.mul(2)], [W, W.mul(3)]] }), /fn: W is updated twice/);
  assert.throws(() => nb.fn([], x.sum(), { givens: [[x, nb.matrix('m')]] }), /fn: givens: x is float32\[\?\] but its replacement is float32\[\?, \?\]/);
});

test('a shared variable keeps its dtype and shape when set', () => {
  const W = nb.shared(nb.zeros([2, 2]), 'W');
  assert.throws(() => W.set(nb.zeros([2, 2], 'float64')), /shared variable W is float32\[2, 2\]; cannot set a float64 value/);
  assert.throws(() => W.set(nb.zeros([3, 2])), /shared variable W is float32\[2, 2\]; cannot set a value of shape \[3, 2\]/);
  const R = nb.shared(nb.zeros([2, 2]), 'R', { resizable: true });
  R.set(nb.ones([3, 2]));
  assert.deepEqual(nb.fn([], R.sum())(), 6);
});
