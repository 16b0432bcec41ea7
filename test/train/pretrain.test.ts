// Greedy layer-wise pre-training: each layer trains on codes computed once from the layer below (the
// step graph of layer 2 never reads layer 1's weights), a run killed after a checkpoint resumes to
// exactly the weights of an uninterrupted run, and a changed option refuses to resume.
import '../single-thread.js';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as nb from '../../src/index.js';
import { loadMnist } from '../../src/data/index.js';
import { graphLeaves } from '../../src/graph/traverse.js';
import { Autoencoder } from '../../src/models/autoencoder.js';
import { Rbm } from '../../src/models/rbm.js';
import type { UnsupervisedLayer } from '../../src/models/unsupervised-layer.js';
import { pretrain, type PretrainOptions } from '../../src/train/pretrain.js';

const { train } = loadMnist({ limit: { train: 600, valid: 10, test: 10 } });

const stack = (): UnsupervisedLayer[] => [
  new Autoencoder({ visible: 784, hidden: 32, corruption: 0.2, seed: 21 }),
  new Rbm({ visible: 32, hidden: 16, k: 2, persistent: true, seed: 21 }, {}, 1),
];

test("each layer's input is computed once: layer 2's training step reads stored codes, never layer 1's weights", () => {
  const layers = stack();
  // Count the encodings of layer 1 outside its own training objective (which encodes corrupted input).
  let encodes = 0;
  let training = false;
  const encode = layers[0].encode.bind(layers[0]);
  layers[0].encode = (x) => (encodes += training ? 0 : 1, encode(x));
  const objective0 = layers[0].objective.bind(layers[0]);
  layers[0].objective = (x, batchSize) => {
    training = true;
    const o = objective0(x, batchSize);
    training = false;
    return o;
  };
  const objectives: nb.Variable[] = [];
  const objective = layers[1].objective.bind(layers[1]);
  layers[1].objective = (x, batchSize) => {
    const o = objective(x, batchSize);
    objectives.push(o.cost, o.monitor);
    return o;
  };
  const lines: string[] = [];
  const result = pretrain(layers, train.x, { epochs: 3, batchSize: 20, learningRate: 0.05, log: (l) => lines.push(l) });
  assert.equal(encodes, 1, 'layer 1 encodes the training set once, after its own training');
  assert.ok(!graphLeaves(objectives).includes(layers[0].W), "layer 2's objective depends on layer 1's W");
  assert.deepEqual(result.history.map((h) => h.length), [3, 3]);
  assert.deepEqual(result.monitorNames, ['reconstruction cross-entropy', 'pseudo-likelihood']);
  assert.match(lines[0], /^pre-training layer 1\/2, epoch 1\/3: reconstruction cross-entropy \d+\.\d{4} \(\d+\.\d s\)$/);
  assert.match(lines[5], /^pre-training layer 2\/2, epoch 3\/3: pseudo-likelihood -?\d+\.\d{4}/);
});

test('a pre-training run killed after a checkpoint resumes to the weights of an uninterrupted run', () => {
  const dir = mkdtempSync(join(tmpdir(), 'nabla-pretrain-'));
  try {
    const options: PretrainOptions = { epochs: 2, batchSize: 20, learningRate: 0.05, momentum: 0.5 };
    const straight = stack();
    pretrain(straight, train.x, { ...options, checkpoint: join(dir, 'straight.nbm') });

    const checkpoint = join(dir, 'killed.nbm');
    // The "kill": an exception right after the checkpoint of layer 2's first epoch is written.
    const killed = stack();
    assert.throws(
      () => pretrain(killed, train.x, { ...options, checkpoint, onEpoch: (r) => { if (r.layer === 1 && r.epoch === 1) throw new Error('killed'); } }),
      /killed/,
    );
    const resumed = stack();
    const lines: string[] = [];
    const result = pretrain(resumed, train.x, { ...options, checkpoint, resume: true, log: (l) => lines.push(l) });
    assert.match(lines[0], /resuming pre-training from .*killed\.nbm: layer 2\/2, 1\/2 epochs done/);
    assert.equal(lines.length, 2, `only layer 2's second epoch runs again: ${lines.join(' | ')}`);
    assert.deepEqual(result.history.map((h) => h.length), [2, 2]);
    straight.forEach((layer, i) => {
      for (const name of ['W', 'hbias', 'vbias'] as const) {
        assert.deepEqual(resumed[i][name].get().data, layer[name].get().data, `layer ${i + 1} ${name}`);
      }
    });
    assert.throws(() => pretrain(stack(), train.x, { ...options, learningRate: 0.1, checkpoint, resume: true }), /killed\.nbm: was written by a pre-training run with other options \(learning_rate: 0\.05 → 0\.1\)/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
