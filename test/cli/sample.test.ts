// nabla sample: an RBM's Gibbs chains from test digits and a DBN's digits of chosen classes as PNG
// pictures of the stated layout; one-line errors for models it cannot sample and for bad labels.
import '../single-thread.js';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { loadMnist } from '../../src/data/index.js';
import { Autoencoder } from '../../src/models/autoencoder.js';
import { Dbn } from '../../src/models/dbn.js';
import { LogisticRegression } from '../../src/models/logistic-regression.js';
import { NDArray } from '../../src/ndarray/index.js';
import { Rbm } from '../../src/models/rbm.js';
import { pretrainNetwork, trainLayer } from '../../src/train/pretrain.js';
import { lastJson, nabla } from './fixtures.js';

const out = mkdtempSync(join(tmpdir(), 'nabla-sample-'));
const { train } = loadMnist({ limit: { train: 500, valid: 10, test: 10 } });

/** Width and height of a PNG file. */
function size(path: string): [number, number] {
  const png = PNG.sync.read(readFileSync(path));
  return [png.width, png.height];
}

test('nabla sample on an RBM writes rows of 20 chains, one row per --plot-every Gibbs steps', () => {
  const rbm = new Rbm({ visible: 784, hidden: 32, k: 1 });
  trainLayer(rbm, train.x, { epochs: 1, batchSize: 20, learningRate: 0.1 });
  rbm.save(join(out, 'rbm.nbm'), { dataset: 'mnist' });
  const result = nabla('sample', join(out, 'rbm.nbm'), '--out', join(out, 'rbm'), '--samples', '3', '--plot-every', '20', '--json');
  assert.equal(result.status, 0, result.stderr);
  const summary = lastJson(result);
  assert.deepEqual([summary.rows, summary.columns], [3, 20]);
  // 28-pixel tiles with 1-pixel spacing: 20 · 29 − 1 wide, 3 · 29 − 1 high.
  assert.deepEqual(size(summary.samples_path as string), [579, 86]);
});

test('nabla sample on a DBN with its top RBM joined to the labels draws one row per --label', () => {
  const dbn = new Dbn({ imageShape: [28, 28], classes: 10, hidden: [40, 60], pretraining: 'rbm', corruption: [0], k: 1, joinLabels: true });
  pretrainNetwork(dbn, train, { epochs: 1, batchSize: 20, learningRate: 0.05 });
  dbn.save(join(out, 'dbn.nbm'));
  const result = nabla('sample', join(out, 'dbn.nbm'), '--out', join(out, 'dbn'), '--label', '3,7', '--samples', '5', '--gibbs-steps', '4', '--json');
  assert.equal(result.status, 0, result.stderr);
  const summary = lastJson(result);
  assert.deepEqual([summary.rows, summary.columns], [2, 5]);
  assert.deepEqual(size(summary.samples_path as string), [144, 57]);

  // A judge that calls every picture a 3: the 3s agree, the 7s do not; the first column is not judged.
  const alwaysThree = new LogisticRegression({ imageShape: [28, 28], classes: 10 });
  alwaysThree.params[1].set(new NDArray('float32', [10], Float32Array.from({ length: 10 }, (_, c) => (c === 3 ? 10 : 0))));
  alwaysThree.save(join(out, 'three.nbm'));
  const judged = nabla('sample', join(out, 'dbn.nbm'), '--out', join(out, 'dbn'), '--label', '3,7,3', '--samples', '5', '--gibbs-steps', '4', '--judge', join(out, 'three.nbm'), '--json');
  assert.equal(judged.status, 0, judged.stderr);
  const verdict = lastJson(judged).judged as {
    agree: number;
    total: number;
    per_label: Record<string, { agree: number; total: number }>;
  };
  assert.deepEqual(
    [verdict.agree, verdict.total, verdict.per_label],
    [8, 12, { 3: { agree: 8, total: 8 }, 7: { agree: 0, total: 4 } }],
  );

  const bad = nabla('sample', join(out, 'dbn.nbm'), '--out', join(out, 'dbn'), '--label', '12');
  assert.equal(bad.status, 1);
  assert.match(bad.stderr.trim(), /^nabla: --label: '12' holds 12, not a class of this model \(0 to 9\)$/);
});

test('nabla sample refuses a model it cannot sample from, naming the file', () => {
  new Autoencoder({ visible: 784, hidden: 8 }).save(join(out, 'da.nbm'));
  const result = nabla('sample', join(out, 'da.nbm'), '--out', join(out, 'da'));
  assert.equal(result.status, 1);
  assert.match(result.stderr.trim(), /^nabla: .*da\.nbm: holds a model of kind autoencoder; nabla sample draws from rbm, dbn and rnnrbm models$/);
});
