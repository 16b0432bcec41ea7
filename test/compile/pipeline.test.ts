// The compile pipeline: its one list of phases as NABLA_DEBUG prints it, and the graphs fn.nodes shows:
// constant folding, merging of equal sub-graphs, the stable forms (log-softmax, softplus) that keep large
// logits finite, and transposes absorbed into dot. Graph-shape checks compile for the reference backend:
// another backend may fuse as well.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as nb from '../../src/index.js';
import type { NDArray } from '../../src/index.js';

nb.setBackend((process.env.NABLA_TEST_BACKEND ?? 'reference') as nb.BackendName);

const opsOf = (f: nb.CompiledFunction) => f.nodes.map((n) => n.op.name);
const onReference = { backend: nb.referenceBackend };

test('constant sub-graphs are folded at compile time', () => {
  const x = nb.vector('x');
  const c = nb.exp(nb.array([0, 1])).mul(2);
  const f = nb.fn([x], x.add(c), onReference);
  assert.deepEqual(opsOf(f), ['add']);
  const out = f([1, 1]) as NDArray;
  assert.ok(Math.abs(out.data[1] - (1 + 2 * Math.E)) < 1e-5);
});

test('a known static shape folds to a constant', () => {
  const x = nb.tensor('x', 'float32', [2, 3]);
  const f = nb.fn([x], x.mul(nb.cast(x.shape.at(1), 'float32')), onReference);
  assert.deepEqual(opsOf(f), ['mul']);
  assert.deepEqual((f([[1, 2, 3], [4, 5, 6]]) as NDArray).toArray(), [[3, 6, 9], [12, 15, 18]]);
});

test('equal sub-graphs are merged into one node, within and across outputs', () => {
  const x = nb.vector('x');
  const f = nb.fn([x], [x.exp().add(x.exp()), x.exp(), x.add(1).mul(x.add(1))], onReference);
  const ops = opsOf(f);
  assert.equal(ops.filter((o) => o === 'exp').length, 1, ops.join(' '));
  assert.equal(ops.filter((o) => o === 'add').length, 2, ops.join(' '));
  const [a, b, c] = f([0]) as NDArray[];
  assert.deepEqual([a.data[0], b.data[0], c.data[0]], [2, 1, 1]);
});

test('random draws are never folded nor merged', () => {
  const rng = new nb.RandomStreams(3);
  const f = nb.fn([], [rng.uniform([4]), rng.uniform([4])], onReference);
  assert.equal(opsOf(f).filter((o) => o === 'randomUniform').length, 2);
  const [a, b] = f() as NDArray[];
  assert.notDeepEqual(a.toArray(), b.toArray());
});

test('nll(softmax(x)) is finite and exact for logits of 1000 (one softmax cross-entropy replaces log of softmax)', () => {
  const [x, y] = [nb.matrix('x', 'float64'), nb.ivector('y')];
  const f = nb.fn([x, y], nb.nll(nb.softmax(x), y));
  assert.equal(f([[1000, 0, -1000], [0, 1000, 0]], [0, 0]), 500);
  const ops = opsOf(nb.fn([x, y], nb.nll(nb.softmax(x), y), onReference));
  assert.ok(ops.includes('softmaxCrossentropy') && !ops.some((o) => /^(softmax|logSoftmax|log)$/.test(o)), ops.join(' '));
  const gradOps = opsOf(nb.fn([x, y], nb.grad(nb.nll(nb.softmax(x), y), [x])[0], onReference));
  assert.ok(gradOps.includes('softmaxCrossentropyGrad') && !gradOps.includes('advancedIncSubtensor'), gradOps.join(' '));
  const z = nb.matrix('z');
  assert.equal(nb.fn([z, y], nb.nll(nb.softmax(z), y))([[1000, 0, -1000], [0, 1000, 0]], [0, 0]), 500, 'float32 too');
});

test('binary cross-entropy of sigmoid(z) is finite for z = ±1000 (softplus forms)', () => {
  const [z, t] = [nb.vector('z', 'float64'), nb.vector('t', 'float64')];
  const f = nb.fn([z, t], nb.binaryCrossentropy(nb.sigmoid(z), t));
  assert.deepEqual((f([1000, -1000, 1000], [0, 1, 1]) as NDArray).toArray(), [1000, 1000, 0]);
  assert.ok(!opsOf(nb.fn([z, t], nb.binaryCrossentropy(nb.sigmoid(z), t), onReference)).includes('log'));
});

test('a transposed product becomes one product of the swapped operands, unless the product is used untransposed too', () => {
  const [a, b] = [nb.matrix('a', 'float64'), nb.matrix('b', 'float64')];
  const f = nb.fn([a, b], a.T.dot(b).T, onReference);
  assert.deepEqual(opsOf(f), ['dot']);
  assert.deepEqual(f.nodes[0].attrs, { transA: true, transB: false });
  assert.deepEqual(f.nodes[0].inputs, [b, a]);
  assert.deepEqual((f([[1, 2], [3, 4]], [[1, 0, 2], [1, 1, 0]]) as NDArray).toArray(), [[4, 6], [3, 4], [2, 4]]);
  const both = nb.fn([a, b], [a.dot(b), a.dot(b).T], onReference);
  assert.deepEqual(opsOf(both).sort(), ['dimshuffle', 'dot']);
});

test('transposed products below a swapped one are swapped too (a tied-weight autoencoder step copies no transpose)', () => {
  const W = nb.shared(nb.array([[0.1, -0.2, 0.3], [0.4, 0.5, -0.6]], 'float64'), 'W');
  const x = nb.matrix('x', 'float64');
  const y = nb.sigmoid(x.dot(W));
  const z = nb.sigmoid(W.dot(y.T).T);
  const cost = nb.binaryCrossentropy(z, x).sum();
  const [gW] = nb.grad(cost, [W]);
  const f = nb.fn([x], gW, onReference);
  const transposes = f.nodes.filter((n) => n.op.name === 'dimshuffle' && JSON.stringify(n.attrs.pattern) === '[1,0]');
  assert.equal(transposes.length, 0);
  // The same cost written with y·Wᵀ has the same gradient.
  const [gPlain] = nb.grad(nb.binaryCrossentropy(nb.sigmoid(y.dot(W.T)), x).sum(), [W]);
  const input = [[0.2, 0.9], [1, 0], [0.5, 0.5]];
  const [got, want] = [f(input), nb.fn([x], gPlain, onReference)(input)].map((r) => Array.from((r as NDArray).data));
  got.forEach((v, i) => assert.ok(Math.abs(v - want[i]) < 1e-12, `${v} vs ${want[i]}`));
});

test('a transposed operand is absorbed into dot instead of copied', () => {
  const [a, b] = [nb.matrix('a', 'float64'), nb.matrix('b', 'float64')];
  const f = nb.fn([a, b], a.T.dot(b), onReference);
  assert.deepEqual(opsOf(f), ['dot']);
  assert.deepEqual(f.nodes[0].attrs, { transA: true, transB: false });
  assert.deepEqual((f([[1, 2], [3, 4]], [[1], [1]]) as NDArray).toArray(), [[4], [6]]);
});

test('the gradients of slices are added into one chain of increments, not into arrays of zeros', () => {
  const x = nb.matrix('x');
  const cost = x.at(':', nb.slice(0, 2)).square().sum().add(x.at(':', nb.slice(2, 4)).sum().mul(3));
  const f = nb.fn([x], nb.grad(cost, x), onReference);
  const ops = opsOf(f);
  assert.equal(ops.filter((op) => op === 'incSubtensor').length, 2, ops.join(' '));
  assert.ok(!ops.includes('add'), ops.join(' '));
  assert.deepEqual((f([[1, 2, 3, 4]]) as NDArray).toArray(), [[2, 4, 3, 3]]);
});

test('NABLA_DEBUG=1 prints the compilation after every phase of the one list, in its order', () => {
  const lines: string[] = [];
  const print = console.error;
  process.env.NABLA_DEBUG = '1';
  console.error = (text: string) => lines.push(text.split('\n')[0]);
  try {
    const W = nb.shared(nb.array([[1, 2], [3, 4]]), 'W');
    const x = nb.matrix('x');
    nb.fn([x], null, { updates: [[W, W.sub(x.T.dot(x).mul(0.1))]], backend: nb.getBackend() });
  } finally {
    console.error = print;
    delete process.env.NABLA_DEBUG;
  }
  assert.deepEqual(lines, nb.pipeline.map((p) => `── after ${p.name}`));
  assert.deepEqual(nb.pipeline.map((p) => p.name), [
    'merge', 'canonicalize', 'stabilize', 'specialize', 'transposed products', 'products into gemm', 'fuse', 'in-place updates', 'memory plan', 'schedule',
  ]);
});
