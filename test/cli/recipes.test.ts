// Quick versions of the three tutorials: a few epochs on a subset of MNIST, each must bring the
// validation error under a stated bound and leave its model, metrics and pictures under --out.
import '../single-thread.js';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getRecipe, listRecipes, parseOptions } from '../../src/cli/recipes/index.js';
import { LOGISTIC_REGRESSION_TUTORIAL } from '../../src/models/index.js';
import { readMetrics } from '../../src/train/index.js';
import { loadClassifier } from '../../src/models/index.js';

const root = mkdtempSync(join(tmpdir(), 'nabla-recipes-'));

// Bounds sit a few points above what these settings reach (logreg 12.4%, mlp 10.4%, lenet 10.6%).
const quick = [
  { name: 'logreg', bound: 0.15, options: { limit: '5000,1000,1000', epochs: '5', batchSize: '100' } },
  { name: 'mlp', bound: 0.14, options: { limit: '5000,1000,1000', epochs: '3', hidden: '100', lr: '0.1' } },
  { name: 'lenet', bound: 0.15, options: { limit: '5000,1000,1000', epochs: '2', batchSize: '50', kernels: '10,20', hidden: '100' } },
];

for (const { name, bound, options } of quick) {
  test(`quick ${name}: validation error below ${Math.round(100 * bound)}% on a subset, with model, metrics and pictures`, async () => {
    const out = join(root, name);
    const summary = await getRecipe(name).run({ ...options, out }, { quiet: true });
    assert.ok((summary.best_valid_error as number) < bound, `validation error ${summary.best_valid_error}`);
    for (const key of ['model', 'dataset', 'epochs', 'best_valid_error', 'test_error', 'seconds', 'backend', 'model_path']) assert.ok(key in summary, key);
    assert.equal(summary.model, name);
    assert.equal(summary.dataset, 'mnist');
    assert.equal(summary.epochs, Number(options.epochs));
    assert.ok((summary.test_error as number) > 0 && (summary.test_error as number) < 0.2);
    assert.equal(summary.model_path, join(out, 'model.nbm'));
    assert.equal(loadClassifier(summary.model_path).kind, name);
    const rows = readMetrics(join(out, 'metrics.jsonl'));
    assert.equal(rows.length, Number(options.epochs));
    assert.deepEqual(Object.keys(rows[0]), ['epoch', 'iteration', 'train_cost', 'valid_error', 'best_valid_error', 'test_error', 'seconds']);
    assert.ok(rows[rows.length - 1].train_cost < rows[0].train_cost, 'the training cost falls');
    for (const picture of Object.values(summary.pictures as Record<string, string>)) {
      assert.ok(existsSync(picture), picture);
    }
  });
}

test('the registry lists logreg, mlp and lenet with the tutorial defaults', () => {
  assert.deepEqual(listRecipes().map((r) => r.name).slice(0, 3), ['logreg', 'mlp', 'lenet']);
  const defaults = (name: string) => Object.fromEntries(
    getRecipe(name).options.filter((o) => o.default !== undefined).map((o) => [o.flag, o.default]),
  );
  assert.deepEqual([defaults('logreg').lr, defaults('logreg')['batch-size'], defaults('logreg').epochs, defaults('logreg').patience], [0.13, 600, 1000, 5000]);
  const mlp = defaults('mlp');
  assert.deepEqual([mlp.lr, mlp.l1, mlp.l2, mlp['batch-size'], mlp.hidden, mlp.epochs, mlp.patience], [0.01, 0, 0.0001, 20, '500', 1000, 10000]);
  const lenet = defaults('lenet');
  assert.deepEqual([lenet.lr, lenet.kernels, lenet['batch-size'], lenet.epochs, lenet.patience], [0.1, '20,50', 500, 200, 10000]);
  assert.throws(() => getRecipe('svm'), /no recipe named 'svm' \(known: logreg, mlp, lenet/);
});

test("a recipe's number defaults reach its options as the model's own numbers; typed text is parsed", () => {
  const options = getRecipe('logreg').options;
  const parsed = parseOptions(options, {});
  assert.deepEqual(
    [parsed.lr, parsed.batchSize, parsed.epochs, parsed.patience, parsed.pixelScale],
    [LOGISTIC_REGRESSION_TUTORIAL.learningRate, 600, 1000, 5000, 255],
  );
  assert.equal(parseOptions(options, { lr: '0.1' }).lr, 0.1);
  assert.equal(parseOptions(options, { pixelScale: '256' }).pixelScale, 256);
  assert.throws(() => parseOptions(options, { pixelScale: '300' }), /--pixel-scale: '300' is not one of 255, 256/);
});

test('numbers in flags are plain decimal: hexadecimal, binary, blank and infinite ones are refused', () => {
  const options = getRecipe('mlp').options;
  for (const [key, text] of [['lr', '0x10'], ['lr', '0b1'], ['lr', ' 1'], ['lr', 'Infinity'], ['epochs', '0x10'], ['seed', '0o7'],
    ['hidden', '0x20,8'], ['batchSize', '1e400'], ['validationSize', '']]) {
    assert.throws(() => parseOptions(options, { [key]: text }), /^Error: --[a-z-]+: '.*' is not (a|an) /, `${key} ${text}`);
  }
  assert.equal(parseOptions(options, { lr: '1e-3' }).lr, 0.001);
  assert.equal(parseOptions(options, { lr: '.5' }).lr, 0.5);
  assert.deepEqual(parseOptions(options, { hidden: '32, 16' }).hidden, [32, 16]);
});

test('recipe options are checked, naming the flag and the value', async () => {
  await assert.rejects(getRecipe('mlp').run({ hidden: '500,x', out: join(root, 'bad') }, { quiet: true }), /--hidden: '500,x' is not a comma-separated list of positive integers/);
  await assert.rejects(getRecipe('mlp').run({ dropout: '0.5', out: join(root, 'bad') }, { quiet: true }), /--dropout: give two keep probabilities/);
  await assert.rejects(getRecipe('logreg').run({ optimizer: 'lbfgs' }, { quiet: true }), /--optimizer: 'lbfgs' is not one of sgd, momentum/);
  await assert.rejects(getRecipe('logreg').run({ limit: '100', out: join(root, 'bad') }, { quiet: true }), /the training set has 100 examples, fewer than one minibatch of 600/);
  await assert.rejects(getRecipe('logreg').run({ schedule: 'cosine' }, { quiet: true }), /--schedule: schedule 'cosine' is not one of constant/);
});
