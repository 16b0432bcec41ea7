// Element-wise fusion on the native backend: chains become one loop, and nothing is computed twice.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as nb from '../../src/index.js';
import { loadNativeBackend } from '../../src/backends/native/index.js';

const native = loadNativeBackend().backend!;
const opsOf = (f: nb.CompiledFunction) => f.nodes.map((n) => n.op.name);

test('a chain of element-wise ops runs as one fused loop with the reference values', () => {
  const x = nb.matrix('x', 'float64');
  const y = x.mul(2).add(1).tanh().sigmoid();
  const f = nb.fn([x], y, { backend: native });
  assert.deepEqual(opsOf(f), ['fusedElementwise']);
  const ref = nb.fn([x], y, { backend: nb.referenceBackend });
  const [got, want] = [f([[0.5, -1]]), ref([[0.5, -1]])].map((r) => (r as nb.NDArray).data);
  got.forEach((g, i) => assert.ok(Math.abs(g - want[i]) < 1e-15, `${g} vs ${want[i]}`));
});

test('a value read only for its shape (the template of a mean\'s gradient) is not fused away and recomputed', () => {
  // An RBM's CD-2 step: the gradient of mean(freeEnergy(v)) broadcasts against freeEnergy(v) for its
  // shape. Fusing that template's producer once kept the whole unfused Gibbs chain alive beside the fused one.
  const streams = new nb.RandomStreams(1);
  const x = nb.matrix('x');
  const W = nb.shared(nb.zeros([6, 4]));
  const [hb, vb, chain] = [nb.shared(nb.zeros([4])), nb.shared(nb.zeros([6])), nb.shared(nb.zeros([3, 4]))];
  const sample = (mean: nb.Variable) => streams.binomial(mean.shape, 1, mean);
  const freeEnergy = (v: nb.Variable) => v.dot(vb).neg().sub(nb.softplus(v.dot(W).add(hb)).sum(1));
  let [h, v]: nb.Variable[] = [chain, x];
  for (let i = 0; i < 2; i++) {
    v = sample(h.dot(W.T).add(vb).sigmoid());
    h = sample(v.dot(W).add(hb).sigmoid());
  }
  const cost = freeEnergy(x).mean().sub(freeEnergy(v).mean());
  const grads = nb.grad(cost, [W, hb, vb], { considerConstant: [v] });
  const updates = [...nb.sgd(grads, [W, hb, vb], { learningRate: 0.1 }), [chain, h] as const];
  const count = (backend: nb.Backend, op: string) =>
    opsOf(nb.fn([x], null, { backend, updates })).filter((o) => o === op).length;
  assert.equal(count(native, 'dot'), count(nb.referenceBackend, 'dot'));
  assert.equal(count(native, 'randomUniform'), 4);
});

test('a chain summed over every axis is one loop that keeps only the total, added in double', () => {
  const [W, b] = [nb.matrix('W'), nb.vector('b')];
  const penalty = nb.l2Sqr(W).add(W.add(b).abs().sum());
  const f = nb.fn([W, b], penalty, { backend: native });
  assert.deepEqual(opsOf(f).filter((o) => o !== 'fusedElementwise'), ['fusedElementwiseSum', 'fusedElementwiseSum']);
  const w = nb.array(Float32Array.from({ length: 300 * 70 }, (_, i) => Math.sin(i)), 'float32', [300, 70]);
  const bias = nb.array(Float32Array.from({ length: 70 }, (_, i) => i / 70 - 0.5), 'float32', [70]);
  let expected = 0;
  w.data.forEach((v, i) => (expected += v * v + Math.abs(v + bias.data[i % 70])));
  assert.ok(Math.abs((f(w, bias) as number) - expected) < 1e-6 * expected, `${f(w, bias)} vs ${expected}`);
  const kept = nb.fn([W], [W.square().sum(), W.square()], { backend: native });
  assert.ok(!opsOf(kept).includes('fusedElementwiseSum'), 'a chain whose values are also returned is stored, then summed');
});
