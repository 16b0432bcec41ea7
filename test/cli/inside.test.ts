// nabla hmc, attack and visualize: the summaries' fields, the pictures, and one-line errors on bad input.
import '../single-thread.js';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadMnist } from '../../src/data/index.js';
import { Dbn, LogisticRegression, Mlp, Rbm, firstLayerImages, loadModelFile } from '../../src/index.js';
import { encodePng } from '../../src/viz/index.js';
import { tilePicture } from '../../src/cli/recipes/pictures.js';
import { lastJson, nabla } from './fixtures.js';

const out = mkdtempSync(join(tmpdir(), 'nabla-inside-'));
const { train } = loadMnist({ limit: { train: 1000, valid: 10, test: 10 } });
const logreg = new LogisticRegression({ imageShape: [28, 28], classes: 10 });
logreg.fit(train.x, train.y, { epochs: 5 });
logreg.save(join(out, 'logreg.nbm'), { dataset: 'mnist' });
const rbm = new Rbm({ visible: 784, hidden: 8, k: 1 });
rbm.save(join(out, 'rbm.nbm'));

test('nabla hmc --json ends with acceptance, mean_abs_error and cov_abs_error', () => {
  const result = nabla('hmc', '--burn-in', '500', '--draws', '500', '--json');
  assert.equal(result.status, 0, result.stderr);
  const summary = lastJson(result);
  const keys = Object.keys(summary);
  assert.deepEqual(keys.slice(-3), ['acceptance', 'mean_abs_error', 'cov_abs_error']);
  assert.ok(Math.abs((summary.acceptance as number) - 0.9) < 0.1);
  assert.ok((summary.mean_abs_error as number) < 0.2 && (summary.cov_abs_error as number) < 0.2);
  const bad = nabla('hmc', '--draws', '0');
  assert.equal(bad.status, 1);
  assert.equal(bad.stderr.trim(), "nabla: --draws: '0' is not a positive integer");
});

test('nabla attack --json: clean and adversarial errors for one ε, an array for several, and pictures', () => {
  const one = nabla('attack', join(out, 'logreg.nbm'), '--eps', '0.1', '--limit', '10,10,200', '--out', join(out, 'attack'), '--json');
  assert.equal(one.status, 0, one.stderr);
  const summary = lastJson(one);
  assert.deepEqual(Object.keys(summary).slice(-2), ['clean_error', 'adversarial_error']);
  assert.ok((summary.adversarial_error as number) > (summary.clean_error as number) + 0.2, JSON.stringify(summary));
  assert.ok(existsSync(join(out, 'attack', 'attack-eps0.1.png')));

  const several = nabla('attack', join(out, 'logreg.nbm'), '--eps', '0,0.05,0.2', '--limit', '10,10,200', '--steps', '3', '--json');
  assert.equal(several.status, 0, several.stderr);
  const errors = lastJson(several).adversarial_errors as number[];
  assert.equal(errors.length, 3);
  assert.equal(errors[0], lastJson(several).clean_error);
  assert.ok(errors[0] < errors[1] && errors[1] < errors[2], errors.join(' '));
});

test('nabla attack refuses a negative ε, a model that is not a classifier and a target outside the classes', () => {
  const cases: [string[], string][] = [
    [[join(out, 'logreg.nbm'), '--eps', '0.1,-0.1'], "nabla: --eps: '0.1,-0.1' holds -0.1; give budgets ≥ 0, comma-separated (0.05,0.1,0.2)"],
    [[join(out, 'rbm.nbm'), '--eps', '0.1'], `nabla: ${join(out, 'rbm.nbm')}: holds a model of kind rbm, not a classifier (logreg, mlp, lenet, dnn, sda, dbn)`],
    [[join(out, 'logreg.nbm'), '--eps', '0.1', '--target', '10'], `nabla: --target: 10 is not a class of ${join(out, 'logreg.nbm')} (0 to 9)`],
  ];
  for (const [args, message] of cases) {
    const result = nabla('attack', ...args);
    assert.equal(result.status, 1);
    assert.equal(result.stderr.trim(), message);
  }
});

test('nabla train logreg takes --adversarial and --augment, and records them with the run', () => {
  const result = nabla('train', 'logreg', '--limit', '600,100,100', '--batch-size', '50', '--epochs', '2', '--adversarial', '0.1', '--augment', 'shift=2,noise=0.05', '--out', join(out, 'robust'), '--quiet', '--json');
  assert.equal(result.status, 0, result.stderr);
  assert.ok((lastJson(result).test_error as number) < 0.5);
  const run = loadModelFile(join(out, 'robust', 'model.nbm')).meta?.run as Record<string, unknown>;
  assert.deepEqual([run.adversarial, run.adversarial_weight, run.augment], [0.1, 0.5, { shift: 2, noise: 0.05 }]);
  const bad = nabla('train', 'logreg', '--augment', 'shift=2,flip=1');
  assert.equal(bad.status, 1);
  assert.match(bad.stderr, /^nabla: --augment: 'flip=1' is not shift=PIXELS/);
});

test('nabla visualize draws the first layer as its normalized weights and deeper layers by gradient ascent', () => {
  const mlp = new Mlp({ imageShape: [28, 28], classes: 10, hidden: [30], activation: 'tanh', keep: [] }, 2);
  mlp.save(join(out, 'mlp.nbm'), { dataset: 'mnist' });
  const first = nabla('visualize', join(out, 'mlp.nbm'), '--layer', '1', '--units', '0-19', '--compare', '200', '--out', join(out, 'vis'), '--json');
  assert.equal(first.status, 0, first.stderr);
  const summary = lastJson(first);
  assert.equal(summary.method, 'normalized weights');
  const { images } = firstLayerImages(mlp, Array.from({ length: 20 }, (_, i) => i));
  const expected = tilePicture(images, [28, 28]);
  assert.deepEqual(readFileSync(summary.picture as string), encodePng(expected));

  const dbn = new Dbn({ imageShape: [28, 28], classes: 10, hidden: [20, 16], pretraining: 'rbm', corruption: [0], k: 1, joinLabels: false });
  dbn.save(join(out, 'dbn.nbm'), { dataset: 'mnist' });
  const deeper = nabla('visualize', join(out, 'dbn.nbm'), '--layer', '2', '--steps', '40', '--compare', '200', '--out', join(out, 'vis'), '--json');
  assert.equal(deeper.status, 0, deeper.stderr);
  const climbed = lastJson(deeper);
  assert.equal(climbed.method, 'gradient ascent');
  const own = climbed.pre_activations as number[];
  const best = climbed.best_training_pre_activations as number[];
  assert.equal(own.length, 16);
  assert.ok(own.every((v, i) => v > best[i]), `${own} vs ${best}`);
  assert.ok(existsSync(join(out, 'vis', 'layer2.png')));
});

test('nabla visualize refuses a model that is not a classifier, and layers and units out of range', () => {
  const mlp = join(out, 'mlp.nbm');
  const cases: [string[], string][] = [
    [[join(out, 'rbm.nbm'), '--layer', '1'], `nabla: ${join(out, 'rbm.nbm')}: holds a model of kind rbm, not a classifier (logreg, mlp, lenet, dnn, sda, dbn)`],
    [[mlp, '--layer', '2'], `nabla: ${mlp}: layer 2: the mlp model has hidden layer 1 and output`],
    [[mlp, '--layer', 'first'], "nabla: --layer: 'first' is not a hidden layer's number (from 1) or 'output'"],
    [[mlp, '--layer', '1', '--units', '25-30'], `nabla: ${mlp}: unit 30: layer 1 has 30 units (0 to 29)`],
  ];
  for (const [args, message] of cases) {
    const result = nabla('visualize', ...args, '--out', join(out, 'vis'));
    assert.equal(result.status, 1);
    assert.equal(result.stderr.trim(), message);
  }
});

test('nabla sample --hmc draws a Gaussian-Bernoulli RBM\'s visible units by HMC on its free energy', () => {
  const gaussian = new Rbm({ visible: 784, hidden: 16, k: 1, visibleUnits: 'gaussian' });
  gaussian.save(join(out, 'grbm.nbm'), { dataset: 'mnist' });
  const result = nabla('sample', join(out, 'grbm.nbm'), '--hmc', '--chains', '4', '--samples', '2', '--plot-every', '30', '--out', join(out, 'grbm'), '--json');
  assert.equal(result.status, 0, result.stderr);
  const summary = lastJson(result);
  assert.deepEqual([summary.rows, summary.columns], [2, 4]);
  const { acceptance } = summary.hmc as { acceptance: number };
  assert.ok(acceptance > 0.5 && acceptance <= 1, `acceptance ${acceptance}`);
  const binary = nabla('sample', join(out, 'rbm.nbm'), '--hmc', '--out', join(out, 'grbm'));
  assert.equal(binary.status, 1);
  assert.equal(binary.stderr.trim(), 'nabla: --hmc: samples real-valued visible units; this RBM has binary ones (train it with --visible-units gaussian)');
});
