// Autoencoders: a denoising one lowers the reconstruction cost of held-out digits, squared error
// with Gaussian noise learns too, the contractive penalty is the encoder's Jacobian norm as nb.grad
// computes it, the sparsity penalty is the KL divergence and pulls activations toward the target,
// and a saved autoencoder loads back.
import '../single-thread.js';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as nb from '../../src/index.js';
import { loadMnist } from '../../src/data/index.js';
import { Autoencoder } from '../../src/models/autoencoder.js';
import { saveModelFile } from '../../src/models/model-file.js';
import { trainLayer } from '../../src/train/pretrain.js';

const mnist = loadMnist({ limit: { train: 2000, valid: 10, test: 500 } });

/** Mean over examples of the clean reconstruction error (no corruption), summed over pixels. */
function reconstructionError(ae: Autoencoder, data: nb.NDArray): number {
  const x = nb.matrix('x');
  return nb.fn([x], nb.mean(ae.reconstructionError(x, ae.encode(x))))(data) as number;
}

test('a denoising autoencoder (corruption 0.3) lowers the reconstruction cross-entropy of held-out digits', () => {
  const ae = new Autoencoder({ visible: 784, hidden: 64, corruption: 0.3, seed: 1 });
  const before = reconstructionError(ae, mnist.test.x);
  const { history, monitorNames } = trainLayer(ae, mnist.train.x, { epochs: 2, batchSize: 20, learningRate: 0.1 });
  const after = reconstructionError(ae, mnist.test.x);
  assert.equal(monitorNames[0], 'reconstruction cross-entropy');
  assert.ok(history[0][1] < history[0][0], `training costs ${history[0].join(', ')}`);
  assert.ok(after < 0.6 * before, `held-out cross-entropy went from ${before.toFixed(1)} to ${after.toFixed(1)}`);
});

test('squared error with Gaussian input noise lowers the reconstruction error too', () => {
  const ae = new Autoencoder({ visible: 784, hidden: 64, loss: 'squaredError', gaussianNoise: 0.2, seed: 2 });
  const before = reconstructionError(ae, mnist.test.x);
  const { monitorNames } = trainLayer(ae, mnist.train.x, { epochs: 2, batchSize: 20, learningRate: 0.05 });
  const after = reconstructionError(ae, mnist.test.x);
  assert.equal(monitorNames[0], 'reconstruction squared error');
  assert.ok(after < 0.7 * before, `held-out squared error went from ${before.toFixed(2)} to ${after.toFixed(2)}`);
});

test('the contractive penalty is λ‖∂y/∂x‖²_F, the Jacobian taken with nb.grad, averaged over the batch', () => {
  const [visible, hidden] = [5, 3];
  const ae = new Autoencoder({ visible, hidden, contraction: 0.7, seed: 3 });
  ae.hbias.set(nb.array([0.2, -0.4, 0.1]));
  const examples = [[0.1, 0.9, 0.4, 0, 1], [0.5, 0.2, 0.8, 0.3, 0.6]];
  const x = nb.matrix('x');
  const penalty = nb.fn([x], ae.contractionPenalty(ae.encode(x)))(examples) as number;

  const row = nb.matrix('row');
  const y = ae.encode(row);
  const rowsOfJacobian = Array.from({ length: hidden }, (_, j) => nb.grad(y.at(0, j), row));
  const jacobian = nb.fn([row], rowsOfJacobian);
  let expected = 0;
  for (const example of examples) {
    for (const g of jacobian([example]) as nb.NDArray[]) {
      for (const v of g.data) expected += (0.7 * v * v) / examples.length;
    }
  }
  assert.ok(Math.abs(penalty - expected) < 1e-5 * (1 + expected), `closed form ${penalty}, from nb.grad ${expected}`);
});

test('the sparsity penalty is β Σ_j KL(ρ ‖ ρ̂_j) and training with it lowers the mean activation', () => {
  const target = 0.05;
  const sparse = new Autoencoder({ visible: 784, hidden: 64, sparsity: { target, weight: 3 }, seed: 4 });
  const x = nb.matrix('x');
  const y = sparse.encode(x);
  const [penalty, codes] = nb.fn([x], [sparse.sparsityPenalty(y), y])(mnist.test.x) as [number, nb.NDArray];
  let expected = 0;
  for (let j = 0; j < 64; j++) {
    let rhoHat = 0;
    for (let r = 0; r < codes.shape[0]; r++) rhoHat += codes.data[r * 64 + j] / codes.shape[0];
    expected += 3 * (target * Math.log(target / rhoHat) + (1 - target) * Math.log((1 - target) / (1 - rhoHat)));
  }
  assert.ok(Math.abs(penalty - expected) < 1e-4 * expected, `penalty ${penalty}, KL by hand ${expected}`);

  const plain = new Autoencoder({ visible: 784, hidden: 64, seed: 4 });
  const meanActivation = (ae: Autoencoder) => {
    const codes = ae.transform(mnist.test.x);
    let total = 0;
    for (const v of codes.data) total += v;
    return total / codes.size;
  };
  for (const ae of [sparse, plain]) trainLayer(ae, mnist.train.x, { epochs: 1, batchSize: 20, learningRate: 0.1 });
  const [withPenalty, without] = [meanActivation(sparse), meanActivation(plain)];
  assert.ok(withPenalty < 0.5 * without, `mean activation ${withPenalty.toFixed(3)} with the penalty, ${without.toFixed(3)} without`);
});

test('a saved autoencoder loads back with its configuration and weights; a wrong kind is refused', () => {
  const ae = new Autoencoder({ visible: 784, hidden: 16, corruption: 0.3, seed: 5 });
  const dir = mkdtempSync(join(tmpdir(), 'nabla-ae-'));
  try {
    const path = join(dir, 'da.nbm');
    ae.save(path);
    const loaded = Autoencoder.load(path);
    assert.deepEqual(loaded.config, ae.config);
    assert.deepEqual(loaded.reconstruct(mnist.test.x).data, ae.reconstruct(mnist.test.x).data);
    saveModelFile(join(dir, 'other.nbm'), { kind: 'rbm', config: {}, tensors: {} });
    assert.throws(() => Autoencoder.load(join(dir, 'other.nbm')), /other\.nbm: holds a rbm model, not a autoencoder/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
