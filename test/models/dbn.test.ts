// DBNs: the top RBM joined to the labels sees [codes, one-hot label]; after pre-training the top hidden
// layer starts from its code weights with the labels at their neutral state; generation with a clamped
// label gives pictures of the stated layout, depends on the label, and survives saving and loading;
// up-down fine-tuning lowers the wake reconstruction cost, unties the recognition weights, and resumes.
import '../single-thread.js';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as nb from '../../src/index.js';
import { loadMnist } from '../../src/data/index.js';
import { Dbn, appendOneHot } from '../../src/models/dbn.js';
import { loadModelFile } from '../../src/models/model-file.js';
import { pretrainNetwork } from '../../src/train/pretrain.js';
import { upDown } from '../../src/train/up-down.js';

const { train } = loadMnist({ limit: { train: 1000, valid: 10, test: 10 } });
const config = { imageShape: [28, 28] as [number, number], classes: 10, hidden: [60, 80], pretraining: 'rbm' as const, corruption: [0], k: 1, joinLabels: true };

test('appendOneHot puts each label as a one among `classes` extra columns', () => {
  const codes = nb.array([[0.5, 0.25], [1, 0]]);
  const joined = appendOneHot(codes, nb.array([2, 0], 'int32'), 3);
  assert.deepEqual(joined.toArray(), [[0.5, 0.25, 0, 0, 1], [1, 0, 1, 0, 0]]);
});

test('the joined top RBM trains on [codes, labels]; the top hidden layer starts from its code rows, labels neutral', () => {
  const dbn = new Dbn(config);
  const top = dbn.pretrainingLayers[1];
  assert.deepEqual([top.visible, top.hidden], [70, 80]);
  assert.notEqual(top.W, dbn.hiddenLayers[1].W, 'the joined RBM has its own, wider, weights');
  assert.equal(dbn.pretrainingLayers[0].W, dbn.hiddenLayers[0].W);
  pretrainNetwork(dbn, train, { epochs: 1, batchSize: 20, learningRate: 0.05 });
  const [W, b, c] = [top.W.get(), top.hbias.get(), dbn.hiddenLayers[1].b.get()];
  assert.deepEqual(dbn.hiddenLayers[1].W.get().data, W.data.slice(0, 60 * 80));
  for (const j of [0, 41, 79]) {
    let labelMean = 0;
    for (let l = 0; l < 10; l++) labelMean += W.data[(60 + l) * 80 + j] / 10;
    assert.ok(Math.abs(c.data[j] - (b.data[j] + labelMean)) < 1e-6, `hidden bias ${j}: ${c.data[j]} vs ${b.data[j] + labelMean}`);
  }
});

test('generate draws [labels · samples, 784] pictures that depend on the clamped label and survive save and load', () => {
  const dbn = new Dbn(config);
  assert.throws(() => dbn.generate({ labels: [1] }), /has not been pre-trained/);
  pretrainNetwork(dbn, train, { epochs: 2, batchSize: 20, learningRate: 0.05 });
  const options = { labels: [3, 3, 8], samples: 4, gibbsSteps: 5, seed: 9 };
  const digits = dbn.generate(options);
  assert.deepEqual(digits.shape, [12, 784]);
  assert.ok(digits.data.every((p) => p >= 0 && p <= 1));
  const otherLabels = dbn.generate({ ...options, labels: [5, 5, 1] });
  assert.notDeepEqual(otherLabels.data.slice(784 * 4), digits.data.slice(784 * 4), 'chains with other labels clamped draw other pictures');
  // The first picture of each chain comes before any Gibbs step, from the same random image: labels cannot change it.
  assert.deepEqual(otherLabels.data.slice(0, 784), digits.data.slice(0, 784));
  assert.throws(() => dbn.generate({ labels: [10] }), /label 10 is not one of the 10 classes/);

  const dir = mkdtempSync(join(tmpdir(), 'nabla-dbn-'));
  try {
    const path = join(dir, 'dbn.nbm');
    dbn.save(path);
    const loaded = Dbn.fromModelFile(loadModelFile(path), path);
    assert.deepEqual(loaded.generate(options).data, digits.data);
    const plain = new Dbn({ ...config, joinLabels: false });
    pretrainNetwork(plain, train, { epochs: 1, batchSize: 20, learningRate: 0.05 });
    assert.throws(() => plain.generate({ labels: [1] }), /not joined to the labels/);
    assert.deepEqual(plain.generate({ chains: 2, samples: 3, gibbsSteps: 2 }).shape, [6, 784]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('up-down fine-tuning lowers the wake reconstruction cost, unties recognition from generation, and resumes exactly', () => {
  const dbn = new Dbn(config);
  pretrainNetwork(dbn, train, { epochs: 1, batchSize: 20, learningRate: 0.05 });
  const tied = dbn.generative.tensors();
  const classifierW = dbn.hiddenLayers[0].W.get();
  const dir = mkdtempSync(join(tmpdir(), 'nabla-up-down-'));
  try {
    dbn.save(join(dir, 'pretrained.nbm'));
    // CD-1 at the top for epochs 1 and 2, CD-2 for epoch 3; momentum carries across.
    const options = { batchSize: 20, learningRate: 0.05, momentum: 0.5, k: [1, 2] };
    const result = upDown(dbn.generative, train, { ...options, epochs: 3 });
    assert.equal(result.monitorName, 'wake reconstruction cross-entropy');
    assert.ok(result.history[2] < result.history[0], `wake costs ${result.history}`);
    const tuned = dbn.generative.tensors();
    assert.deepEqual(tied['recognition0.W'].data, tied['generative0.W'].data, 'pre-training leaves the weights tied');
    assert.notDeepEqual(tuned['recognition0.W'].data, tuned['generative0.W'].data);
    assert.equal(tuned['recognition1.W'], undefined, 'the top RBM has no recognition weights of its own');
    assert.deepEqual(dbn.hiddenLayers[0].W.get().data, classifierW.data, 'the classifier keeps its own weights');

    // Killed after two epochs (the log line follows the checkpoint), then resumed across the change of
    // stage by another copy of the pre-trained model.
    const checkpoint = join(dir, 'up-down-checkpoint.nbm');
    const kill = (line: string) => {
      if (line.startsWith('up-down epoch 2/3')) throw new Error('killed');
    };
    assert.throws(() => upDown(Dbn.load(join(dir, 'pretrained.nbm')).generative, train, { ...options, epochs: 3, checkpoint, log: kill }), /killed/);
    const copy = Dbn.load(join(dir, 'pretrained.nbm'));
    const resumed = upDown(copy.generative, train, { ...options, epochs: 3, checkpoint, resume: true });
    assert.deepEqual(resumed.history, result.history);
    assert.deepEqual(copy.generative.tensors()['recognition0.W'].data, tuned['recognition0.W'].data);
    assert.throws(() => upDown(copy.generative, train, { ...options, epochs: 4, checkpoint, resume: true }), /other options \(epochs: 3 → 4\)/, 'a schedule\'s stages depend on the epoch count');
    const finished = Dbn.load(join(dir, 'pretrained.nbm'));
    assert.deepEqual(
      upDown(finished.generative, train, { ...options, epochs: 3, checkpoint, resume: true }).history,
      result.history,
    );
    assert.deepEqual(finished.generative.tensors()['generative1.W'].data, tuned['generative1.W'].data, 'a finished run resumed trains nothing and restores the parameters');

    dbn.save(join(dir, 'tuned.nbm'));
    const loaded = Dbn.load(join(dir, 'tuned.nbm'));
    const generateOptions = { labels: [4, 7], samples: 2, gibbsSteps: 3, seed: 2 };
    assert.deepEqual(loaded.generate(generateOptions).data, dbn.generate(generateOptions).data);
    assert.deepEqual(loaded.generative.tensors()['recognition0.hbias'].data, tuned['recognition0.hbias'].data);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
