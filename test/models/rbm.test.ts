// RBMs: the CD gradient from the free energy equals the textbook statistics, PCD-15 raises the
// pseudo-likelihood of held-out digits, CD-1 lowers the reconstruction cost, Gaussian units learn
// standardized data, Gibbs chains give digit-like pictures, and a saved RBM loads back.
import '../single-thread.js';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as nb from '../../src/index.js';
import { loadMnist } from '../../src/data/index.js';
import { Rbm, type RbmConfig } from '../../src/models/rbm.js';
import { trainLayer } from '../../src/train/pretrain.js';

const mnist = loadMnist({ limit: { train: 2000, valid: 10, test: 500 } });

const sigm = (z: number) => 1 / (1 + Math.exp(-z));

/** Rows [start, end) of a float32 matrix as a new NDArray. */
function rows(x: nb.NDArray, start: number, end: number): nb.NDArray {
  const d = x.shape[1];
  return nb.array(x.data.slice(start * d, end * d) as Float32Array, 'float32', [end - start, d]);
}

/**
 * Textbook gradient of mean F(v0) − mean F(vk) (tutorial eq. 9.10 averaged over the batch):
 * ∂/∂W_ij = −⟨v_i p(h_j | v)⟩_data + ⟨v_i p(h_j | v)⟩_sample (v/σ for Gaussian units), ∂/∂c_j alike
 * with 1 for v_i, and ∂/∂b'_i = −⟨v_i⟩ + ⟨v_i⟩ for binary units, −⟨(v_i − b'_i)/σ²⟩ + ⟨·⟩ for Gaussian ones.
 */
function textbookGradient(
  config: Required<RbmConfig>, W: nb.NDArray, c: nb.NDArray, b: nb.NDArray, v0: nb.NDArray, vk: nb.NDArray,
) {
  const { visible: nv, hidden: nh, sigma } = config;
  const gaussian = config.visibleUnits === 'gaussian';
  const gW = new Float64Array(nv * nh);
  const gc = new Float64Array(nh);
  const gb = new Float64Array(nv);
  const n = v0.shape[0];
  for (const [v, sign] of [[v0, -1], [vk, 1]] as const) {
    for (let r = 0; r < n; r++) {
      const x = Array.from({ length: nv }, (_, i) => v.data[r * nv + i] / (gaussian ? sigma : 1));
      for (let j = 0; j < nh; j++) {
        let z = c.data[j];
        for (let i = 0; i < nv; i++) z += x[i] * W.data[i * nh + j];
        const p = sigm(z);
        gc[j] += (sign * p) / n;
        for (let i = 0; i < nv; i++) gW[i * nh + j] += (sign * x[i] * p) / n;
      }
      for (let i = 0; i < nv; i++) {
        const vi = v.data[r * nv + i];
        gb[i] += (sign * (gaussian ? (vi - b.data[i]) / sigma ** 2 : vi)) / n;
      }
    }
  }
  return { gW, gc, gb };
}

function assertClose(actual: ArrayLike<number>, expected: ArrayLike<number>, what: string) {
  for (let i = 0; i < expected.length; i++) {
    const tolerance = 1e-4 * (1 + Math.abs(expected[i]));
    assert.ok(Math.abs(actual[i] - expected[i]) < tolerance, `${what}[${i}] is ${actual[i]}, textbook ${expected[i]}`);
  }
}

for (const config of [
  { visible: 6, hidden: 4, k: 1, persistent: false, visibleUnits: 'binary', seed: 3 },
  { visible: 6, hidden: 4, k: 3, persistent: true, visibleUnits: 'binary', seed: 4 },
  { visible: 5, hidden: 3, k: 2, persistent: false, visibleUnits: 'gaussian', sigma: 0.7, seed: 5 },
] as const) {
  test(`the gradient of F(data) − F(sample), sample held constant, is the positive minus the negative statistics (${config.visibleUnits}, ${config.persistent ? 'PCD' : 'CD'}-${config.k})`, () => {
    const rbm = new Rbm(config);
    rbm.hbias.set(nb.array(Array.from({ length: config.hidden }, (_, j) => 0.3 - 0.2 * j)));
    rbm.vbias.set(nb.array(Array.from({ length: config.visible }, (_, i) => 0.1 * i - 0.2)));
    const batch = 5;
    const v0 = config.visibleUnits === 'gaussian'
      ? nb.array(Array.from({ length: batch }, (_, r) =>
        Array.from({ length: config.visible }, (_, i) => Math.sin(3 * r + i))))
      : nb.array(Array.from({ length: batch }, (_, r) =>
        Array.from({ length: config.visible }, (_, i) => (r + i) % 3 === 0 ? 1 : 0)));
    const x = nb.matrix('x');
    const objective = rbm.objective(x, batch);
    const grads = nb.grad(objective.cost, rbm.params, { considerConstant: objective.considerConstant });
    // The sample comes out of the same call as the gradients, so both see the same draw.
    const f = nb.fn([x], [...grads, objective.considerConstant[0]]);
    for (let call = 0; call < 2; call++) {
      const [gW, gc, gb, vk] = f(v0) as nb.NDArray[];
      const expected = textbookGradient(rbm.config, rbm.W.get(), rbm.hbias.get(), rbm.vbias.get(), v0, vk);
      assertClose(gW.data, expected.gW, 'dW');
      assertClose(gc.data, expected.gc, 'dhbias');
      assertClose(gb.data, expected.gb, 'dvbias');
    }
  });
}

/** The exact log pseudo-likelihood Σ_i log p(x_i | x_−i), averaged over the rows of `data`. */
function exactPseudoLikelihood(rbm: Rbm, data: nb.NDArray): number {
  const x = nb.matrix('x');
  const { value, update } = rbm.pseudoLikelihood(x);
  // The estimate N·log p(x_i | x_−i) for bit i, one bit per call: the mean over all N bits is exact.
  const f = nb.fn([x], value, { updates: [update] });
  let total = 0;
  for (let i = 0; i < rbm.visible; i++) total += f(data) as number;
  return total / rbm.visible;
}

test('PCD-15 raises the pseudo-likelihood of held-out digits (2,000 training digits, 2 epochs)', () => {
  const rbm = new Rbm({ visible: 784, hidden: 64, k: 15, persistent: true, seed: 11 });
  const heldOut = rows(mnist.test.x, 0, 200);
  const before = exactPseudoLikelihood(rbm, heldOut);
  const result = trainLayer(rbm, mnist.train.x, { epochs: 2, batchSize: 20, learningRate: 0.1 });
  const after = exactPseudoLikelihood(rbm, heldOut);
  assert.equal(result.monitorNames[0], 'pseudo-likelihood');
  assert.ok(after > before + 50, `log pseudo-likelihood per digit went from ${before.toFixed(1)} to ${after.toFixed(1)}`);
});

test('CD-1 lowers the reconstruction cross-entropy epoch after epoch', () => {
  const rbm = new Rbm({ visible: 784, hidden: 64, k: 1, seed: 12 });
  const { history, monitorNames } = trainLayer(rbm, mnist.train.x, { epochs: 3, batchSize: 20, learningRate: 0.1 });
  assert.equal(monitorNames[0], 'reconstruction cross-entropy');
  const costs = history[0];
  assert.ok(costs[1] < costs[0] && costs[2] < costs[1], `costs ${costs.map((c) => c.toFixed(2)).join(', ')}`);
  assert.ok(costs[2] < 0.75 * costs[0], `costs ${costs.map((c) => c.toFixed(2)).join(', ')}`);
});

test('a Gaussian-Bernoulli RBM lowers the squared reconstruction error of standardized digits', () => {
  // Standardize each pixel over the training set, as Gaussian visible units with σ = 1 expect.
  const x = mnist.train.x;
  const [n, d] = x.shape;
  const z = new nb.NDArray('float32', [n, d]);
  for (let i = 0; i < d; i++) {
    let mean = 0;
    let sq = 0;
    for (let r = 0; r < n; r++) mean += x.data[r * d + i] / n;
    for (let r = 0; r < n; r++) sq += (x.data[r * d + i] - mean) ** 2 / n;
    const std = Math.sqrt(sq) + 0.1;
    for (let r = 0; r < n; r++) z.data[r * d + i] = (x.data[r * d + i] - mean) / std;
  }
  const rbm = new Rbm({ visible: 784, hidden: 64, visibleUnits: 'gaussian', k: 1, seed: 13 });
  const { history, monitorNames } = trainLayer(rbm, z, { epochs: 3, batchSize: 20, learningRate: 0.002 });
  assert.equal(monitorNames[0], 'reconstruction squared error');
  const costs = history[0];
  assert.ok(costs.every(Number.isFinite) && costs[2] < 0.9 * costs[0], `costs ${costs.map((c) => c.toFixed(2)).join(', ')}`);
});

test('Gibbs chains started at test digits give [20, 784] mean-field pictures in [0, 1]; a saved RBM loads back', () => {
  const rbm = new Rbm({ visible: 784, hidden: 32, k: 1, seed: 14 });
  trainLayer(rbm, rows(mnist.train.x, 0, 400), { epochs: 1, batchSize: 20, learningRate: 0.1 });
  const next = rbm.gibbsChains(rows(mnist.test.x, 0, 20));
  const first = next(13);
  const second = next(20);
  assert.deepEqual(first.shape, [20, 784]);
  assert.ok(first.data.every((p) => p >= 0 && p <= 1) && second.data.some((p, i) => p !== first.data[i]));

  const dir = mkdtempSync(join(tmpdir(), 'nabla-rbm-'));
  try {
    rbm.save(join(dir, 'rbm.nbm'), { epochs: 1 });
    const loaded = Rbm.load(join(dir, 'rbm.nbm'));
    assert.deepEqual(loaded.config, rbm.config);
    assert.deepEqual(loaded.transform(rows(mnist.test.x, 0, 5)).data, rbm.transform(rows(mnist.test.x, 0, 5)).data);
    assert.throws(() => Rbm.load(join(dir, 'missing.nbm')), /missing\.nbm/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a softmax group of visible units draws one-hot rows with the softmax\'s frequencies', () => {
  // 3 binary units and a group of 4; hidden units off, so the group's logits are its visible biases.
  const rbm = new Rbm({ visible: 7, hidden: 2, softmaxUnits: 4, seed: 3 });
  rbm.vbias.set(nb.array([0, 0, 0, 1, 0, -1, 2], 'float32'));
  const n = 20000;
  const { mean, sample } = rbm.sampleVisible(nb.shared(new nb.NDArray('float32', [n, 2])));
  const [m, s] = nb.fn([], [mean, sample])() as nb.NDArray[];
  const logits = [1, 0, -1, 2];
  const z = logits.reduce((a, l) => a + Math.exp(l), 0);
  const counts = [0, 0, 0, 0];
  for (let r = 0; r < n; r++) {
    const group = Array.from(s.data.subarray(r * 7 + 3, r * 7 + 7));
    assert.equal(group.reduce((a, b) => a + b, 0), 1, `row ${r}: ${group}`);
    counts[group.indexOf(1)] += 1;
  }
  logits.forEach((l, j) => {
    const p = Math.exp(l) / z;
    assert.ok(Math.abs(m.data[3 + j] - p) < 1e-6, `mean of unit ${j}: ${m.data[3 + j]} vs ${p}`);
    assert.ok(Math.abs(counts[j] / n - p) < 4 * Math.sqrt((p * (1 - p)) / n), `frequency of unit ${j}: ${counts[j] / n} vs ${p}`);
  });
  assert.ok(Math.abs(m.data[0] - 0.5) < 1e-6, 'the units outside the group stay sigmoid units');
  assert.throws(() => new Rbm({ visible: 7, hidden: 2, softmaxUnits: 7 }), /softmaxUnits 7 must be 0 or an integer from 2 to 6/);
  assert.throws(() => new Rbm({ visible: 7, hidden: 2, softmaxUnits: 3, visibleUnits: 'gaussian' }), /needs binary visible units/);
});
