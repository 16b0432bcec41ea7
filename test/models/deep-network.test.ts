// Deep networks with greedy pre-training: on a stated subset, a net pre-trained by autoencoders or by
// RBMs and fine-tuned for one epoch beats the same net randomly initialized and fine-tuned alike; the
// pre-training layers share the hidden layers' weights; a saved SdA loads back.
import '../single-thread.js';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadMnist } from '../../src/data/index.js';
import { DeepNetwork, type Pretraining } from '../../src/models/deep-network.js';
import { StackedAutoencoder } from '../../src/models/stacked-autoencoder.js';
import { Dbn } from '../../src/models/dbn.js';
import { loadClassifier } from '../../src/models/index.js';
import { loadModelFile } from '../../src/models/model-file.js';
import { fitClassifier } from '../../src/train/fit-classifier.js';
import { pretrainNetwork } from '../../src/train/pretrain.js';

// The stated subset: the first 3,000 training digits, 1,000 validation and 1,000 test digits.
const data = loadMnist({ limit: { train: 3000, valid: 1000, test: 1000 } });
const NO_EARLY_STOP = { patience: 1e9, patienceIncrease: 2, improvementThreshold: 0.995 };

/** Test error after 3 pre-training epochs per layer (none for 'none') and one fine-tuning epoch. */
function testError(pretraining: Pretraining): number {
  const model = new DeepNetwork({
    imageShape: [28, 28], classes: 10, hidden: [300, 300, 300], pretraining, corruption: [0.2], k: 1,
  }, 7);
  pretrainNetwork(model, data.train, { epochs: 3, batchSize: 20, learningRate: pretraining === 'rbm' ? 0.05 : 0.1 });
  return fitClassifier(model, data, {
    batchSize: 20, learningRate: 0.1, maxEpochs: 1, earlyStopping: NO_EARLY_STOP,
  }).testError;
}

test('pre-trained by autoencoders or RBMs and fine-tuned one epoch, a 784-300-300-300-10 net beats the same net randomly initialized (3,000 training digits, 1,000 test digits)', () => {
  // Measured: 15.8% (autoencoders) and 23.8% (RBMs) against 51.1% for random initialization.
  const [autoencoder, rbm, none] = (['autoencoder', 'rbm', 'none'] as const).map(testError);
  assert.ok(autoencoder < none - 0.15, `autoencoder pre-training: ${autoencoder}, random initialization: ${none}`);
  assert.ok(rbm < none - 0.15, `RBM pre-training: ${rbm}, random initialization: ${none}`);
});

test("the pre-training layers hold the hidden layers' own W and b, and pre-training moves them", () => {
  const model = new DeepNetwork({ imageShape: [28, 28], classes: 10, hidden: [50, 40], pretraining: 'rbm', corruption: [0], k: 1 });
  model.pretrainingLayers.forEach((layer, i) => {
    assert.equal(layer.W, model.hiddenLayers[i].W);
    assert.equal(layer.hbias, model.hiddenLayers[i].b);
  });
  const before = model.hiddenLayers[1].W.get();
  pretrainNetwork(model, { x: data.train.x, y: data.train.y }, { epochs: 1, batchSize: 20, learningRate: 0.05 });
  assert.notDeepEqual(model.hiddenLayers[1].W.get().data, before.data);
  assert.throws(() => new DeepNetwork({ imageShape: [28, 28], classes: 10, hidden: [50, 40, 30], pretraining: 'autoencoder', corruption: [0.1, 0.2], k: 1 }), /2 corruption levels for 3 hidden layers/);
});

test('a saved SdA loads back with its configuration, weights and visible biases; a DBN file is refused', () => {
  const sda = new StackedAutoencoder({ imageShape: [28, 28], classes: 10, hidden: [40, 30], pretraining: 'autoencoder', corruption: [0.1, 0.2], k: 1 });
  pretrainNetwork(sda, data.train, { epochs: 1, batchSize: 50, learningRate: 0.1 });
  const dir = mkdtempSync(join(tmpdir(), 'nabla-sda-'));
  try {
    const path = join(dir, 'sda.nbm');
    sda.save(path, { note: 'test' });
    const file = loadModelFile(path);
    assert.equal(file.kind, 'sda');
    const loaded = StackedAutoencoder.fromModelFile(file, path);
    assert.deepEqual(loaded.config, sda.config);
    assert.deepEqual(loaded.predictProba(data.test.x).data, sda.predictProba(data.test.x).data);
    // What nabla eval and predict use: any supervised kind, by the kind the file names.
    for (const again of [StackedAutoencoder.load(path), loadClassifier(path)]) {
      assert.equal(again.kind, 'sda');
      assert.deepEqual(again.predict(data.test.x).data, sda.predict(data.test.x).data);
    }
    assert.throws(() => Dbn.load(path), /sda\.nbm.*sda.*dbn|dbn.*sda/);
    assert.deepEqual(loaded.pretrainingLayers[1].vbias.get().data, sda.pretrainingLayers[1].vbias.get().data);
    file.config.pretraining = 'rbm';
    assert.throws(() => StackedAutoencoder.fromModelFile(file, path), /sda\.nbm: an sda model is pre-trained by autoencoders, not rbm/);
    delete file.tensors['pretraining1.vbias'];
    assert.throws(() => DeepNetwork.fromModelFile({ ...file, config: { ...file.config, pretraining: 'autoencoder' } }, path), /has no tensor pretraining1\.vbias/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
