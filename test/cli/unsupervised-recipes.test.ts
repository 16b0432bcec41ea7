// Quick versions of `nabla train da | rbm | sda | dbn | dnn` on subsets of MNIST: each leaves its model
// and pictures under --out, the unsupervised ones lower their cost, the deep ones classify well above
// chance after one epoch; the registry carries the tutorials' defaults; a killed SdA run resumes.
import '../single-thread.js';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getRecipe } from '../../src/cli/recipes/index.js';
import { loadModelFile } from '../../src/models/model-file.js';
import { readMetrics, type MetricsLine } from '../../src/train/metrics.js';

const root = mkdtempSync(join(tmpdir(), 'nabla-unsupervised-'));

function assertPictures(pictures: unknown) {
  for (const path of Object.values(pictures as Record<string, string>)) assert.ok(existsSync(path), path);
}

test('quick da and rbm: the cost falls (the pseudo-likelihood is reported), model and pictures are written', async () => {
  const da = await getRecipe('da').run({ limit: '2000,100,100', epochs: '2', hidden: '64', out: join(root, 'da') }, { quiet: true });
  const daHistory = da.history as number[];
  assert.equal(da.monitor, 'reconstruction cross-entropy');
  assert.ok(daHistory[1] < daHistory[0], `da costs ${daHistory}`);
  assert.deepEqual(Object.keys(da.pictures as object), ['filters', 'reconstructions', 'reconstruction_cross_entropy']);
  const daRows = readMetrics<MetricsLine>(join(root, 'da', 'metrics.jsonl'));
  assert.deepEqual(daRows.map((r) => [r.epoch, r.reconstruction_cross_entropy]), daHistory.map((c, i) => [i + 1, c]));
  assertPictures(da.pictures);
  assert.equal(loadModelFile(da.model_path).kind, 'autoencoder');

  const rbm = await getRecipe('rbm').run({ limit: '2000,100,100', epochs: '1', hidden: '64', k: '5', samples: '3', plotEvery: '10', out: join(root, 'rbm') }, { quiet: true });
  assert.equal(rbm.monitor, 'pseudo-likelihood');
  assert.deepEqual(Object.keys(rbm.pictures as object), ['filters', 'samples', 'pseudo_likelihood']);
  assertPictures(rbm.pictures);
  assert.equal(loadModelFile(rbm.model_path).kind, 'rbm');
});

for (const { name, options, bound } of [
  // Measured: sda 17.8%, dbn 21.0% after one epoch; dnn 44.6% after one epoch of 30 minibatches of 100.
  { name: 'sda', options: { hidden: '200,200', corruption: '0.1,0.2', pretrainEpochs: '2', pretrainBatchSize: '20', pretrainLr: '0.1', batchSize: '20' }, bound: 0.25 },
  { name: 'dbn', options: { hidden: '200,200', pretrainEpochs: '2', pretrainLr: '0.05', batchSize: '20', upDownEpochs: '2' }, bound: 0.3 },
  { name: 'dnn', options: { hidden: '200,150' }, bound: 0.55 },
]) {
  test(`quick ${name}: pre-training then one fine-tuning epoch, validation error below ${100 * bound}% on 3,000 digits`, async () => {
    const out = join(root, name);
    const summary = await getRecipe(name).run({ limit: '3000,500,500', epochs: '1', ...options, out }, { quiet: true });
    assert.ok((summary.best_valid_error as number) < bound, `validation error ${summary.best_valid_error}`);
    assert.equal(loadModelFile(summary.model_path).kind, name);
    assert.ok((summary.pretrain_seconds as number) > 0 && summary.seconds > (summary.finetune_seconds as number));
    const pictures = summary.pretrain_pictures as Record<string, string>;
    assert.deepEqual(Object.keys(pictures).slice(0, 2), ['filters_layer1', 'filters_layer2']);
    // One metrics file, every stage in the order it ran, each stage's curves drawn from it.
    const rows = readMetrics<MetricsLine>(join(out, 'metrics.jsonl'));
    const stages = [...new Set(rows.map((r) => r.stage))];
    assert.deepEqual(stages, ['pretrain-1', 'pretrain-2', ...(name === 'dbn' ? ['up-down'] : []), 'finetune']);
    for (const stage of stages) assert.ok(Object.keys(summary.pictures as object).some((k) => k.startsWith(`${stage}/`)), stage);
    if (name === 'dbn') {
      assert.ok(pictures.samples.endsWith(join('pretrained', 'samples.png')));
      const upDown = summary.after_pretraining as {
        up_down_history: number[];
        up_down_cost_curve: string;
        seconds: number;
      };
      assert.equal(upDown.up_down_history.length, 2);
      assert.ok(existsSync(upDown.up_down_cost_curve) && upDown.seconds > 0);
    }
    assertPictures(pictures);
    assertPictures(summary.pictures);
  });
}

test('the recipes carry the tutorials\' defaults', () => {
  const defaults = (name: string) => Object.fromEntries(
    getRecipe(name).options.filter((o) => o.default !== undefined).map((o) => [o.flag, o.default]),
  );
  const pick = (name: string, flags: string[]) => flags.map((f) => defaults(name)[f]);
  assert.deepEqual(pick('da', ['hidden', 'corruption', 'lr', 'batch-size', 'epochs']), [500, 0.3, 0.1, 20, 15]);
  assert.deepEqual(pick('rbm', ['hidden', 'k', 'persistent', 'lr', 'batch-size', 'epochs', 'chains', 'plot-every']), [500, 15, 'true', 0.1, 20, 15, 20, 1000]);
  assert.deepEqual(pick('sda', ['hidden', 'corruption', 'pretrain-lr', 'pretrain-epochs', 'pretrain-batch-size', 'lr', 'batch-size']), ['1000,1000,1000', '0.1,0.2,0.3', 0.001, 15, 1, 0.1, 1]);
  assert.deepEqual(pick('dbn', ['hidden', 'k', 'pretrain-lr', 'pretrain-epochs', 'pretrain-batch-size', 'lr', 'batch-size']), ['1000,1000,1000', 1, 0.01, 100, 10, 0.1, 10]);
  assert.deepEqual(pick('dnn', ['hidden', 'pretraining', 'pretrain-epochs', 'optimizer', 'momentum', 'lr', 'batch-size', 'epochs']), ['1000,750,500', 'autoencoder', 1, 'momentum', 0.99, 0.01, 100, 3]);
});

test('a killed sda run resumes: pre-training from its checkpoint, fine-tuning from its resume state', async () => {
  const out = join(root, 'sda-resume');
  const options = { limit: '1000,200,200', hidden: '50,40', corruption: '0.1', pretrainEpochs: '2', pretrainBatchSize: '20', pretrainLr: '0.1', batchSize: '20', epochs: '2', out };
  const killed = await getRecipe('sda').run(options, { quiet: true, stopAfter: 60 });
  assert.equal(killed.stopped_by, 'interrupted');
  const resumed = await getRecipe('sda').run({ ...options, resume: true }, { quiet: true });
  const straight = await getRecipe('sda').run({ ...options, out: join(root, 'sda-straight') }, { quiet: true });
  assert.equal(resumed.resumed_from, 50, 'from the resume state of the last validation (one per epoch of 50 minibatches)');
  assert.deepEqual(resumed.pretrain_history, straight.pretrain_history);
  // The metrics file ends as the uninterrupted run's does: every stage, no line twice (times aside).
  const lines = (dir: string) => readMetrics<MetricsLine>(join(dir, 'metrics.jsonl')).map(({ seconds: _, ...rest }) => rest);
  assert.deepEqual(lines(out), lines(join(root, 'sda-straight')));
  assert.equal(resumed.best_valid_error, straight.best_valid_error);
  assert.equal(resumed.test_error, straight.test_error);
});
