// `nabla train bow|lstm` and `nabla predict --text` on small slices of the real IMDB data: the JSON
// summary, the run's files, resuming a stopped run, and one-line errors.
import '../single-thread.js';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getRecipe } from '../../src/cli/recipes/index.js';
import { readMetrics } from '../../src/train/index.js';
import { nabla } from './fixtures.js';
import { IMDB_DICT, IMDB_FILE } from '../data/imdb-fixture.js';

const root = mkdtempSync(join(tmpdir(), 'nabla-sentiment-'));
const imdbFiles = ['--dataset', IMDB_FILE, '--dict', IMDB_DICT];

test('nabla train bow --json ends with best_valid_error and test_error; predict --text gives the sentiment', () => {
  const out = join(root, 'bow');
  const run = nabla('train', 'bow', ...imdbFiles, '--maxlen', '60', '--n-words', '2000', '--epochs', '4', '--validation-frequency', '10',
    '--test-size', '200', '--quiet', '--json', '--out', out);
  assert.equal(run.status, 0, run.stderr);
  const summary = JSON.parse(run.stdout.trim().split('\n').pop()!) as Record<string, unknown>;
  assert.deepEqual(Object.keys(summary).slice(-2), ['best_valid_error', 'test_error']);
  assert.equal(summary.model, 'bow');
  assert.equal(summary.test_examples, 200);
  assert.ok((summary.best_valid_error as number) < 0.4 && (summary.test_error as number) < 0.45, run.stdout);
  for (const file of ['model.nbm', 'metrics.jsonl', 'resume.nbm', 'curves-train_cost.png', 'curves-valid_error.png', 'curves-test_error.svg']) assert.ok(existsSync(join(out, file)), file);

  // The dictionary the model was trained with is a path in the model file: used only when named.
  const unnamed = nabla('predict', join(out, 'model.nbm'), '--text', 'a great movie');
  assert.equal(unnamed.status, 1);
  assert.match(unnamed.stderr, /model\.nbm: was trained with --dict ".*imdb-dict-3000\.json\.gz", not .*; a path read from a model file is never opened on its own, so name the data with --dict\n$/);
  const predict = nabla('predict', join(out, 'model.nbm'), '--text', 'a great movie', 'zzqx', '--dict', IMDB_DICT, '--json');
  assert.equal(predict.status, 0, predict.stderr);
  type Prediction = { sentiment: string; probabilities: number[]; unknown: number };
  const { predictions } = JSON.parse(predict.stdout) as { predictions: Prediction[] };
  assert.equal(predictions.length, 2);
  assert.ok(['positive', 'negative'].includes(predictions[0].sentiment));
  assert.ok(Math.abs(predictions[0].probabilities[0] + predictions[0].probabilities[1] - 1) < 1e-5);
  assert.equal(predictions[1].unknown, 1);
  const missing = nabla('predict', join(out, 'model.nbm'));
  assert.equal(missing.status, 1);
  assert.match(missing.stderr, /holds a text model \(\w+\); give the text with --text/);
});

test('nabla train lstm stopped after some minibatches and resumed ends as the uninterrupted run', async () => {
  const options = { dataset: IMDB_FILE, dict: IMDB_DICT, maxlen: '40', nWords: '1000', dim: '8', epochs: '2', validationFrequency: '3', testSize: '40', batchSize: '8' };
  const lstm = getRecipe('lstm');
  const whole = await lstm.run({ ...options, out: join(root, 'whole') }, { quiet: true });
  const out = join(root, 'resumed');
  const stopped = await lstm.run({ ...options, out }, { quiet: true, stopAfter: 6 });
  assert.equal(stopped.stopped_by, 'interrupted');
  const resumed = await lstm.run({ ...options, out, resume: true }, { quiet: true });
  assert.equal(resumed.resumed_from, 6);
  for (const key of ['iterations', 'best_iteration', 'best_valid_error', 'test_error']) assert.equal(resumed[key], whole[key], key);
  assert.deepEqual(readMetrics(join(out, 'metrics.jsonl')).map((r) => r.valid_error), readMetrics(join(root, 'whole', 'metrics.jsonl')).map((r) => r.valid_error));
});

test('bad data files and options: one line naming the file and the item', () => {
  const broken = join(root, 'broken.json');
  writeFileSync(broken, JSON.stringify({ train: { x: [[2, 3], [4]], y: [1, 5] }, test: { x: [[2]], y: [0] } }));
  const run = nabla('train', 'lstm', '--dataset', broken, '--dict', IMDB_DICT, '--quiet');
  assert.equal(run.status, 1);
  assert.equal(run.stderr.trim(), `nabla: ${broken}: train review 1: label 5 is not 0 or 1`);
  const both = nabla('train', 'lstm', ...imdbFiles, '--maxlen', '100', '--truncate', '400', '--quiet');
  assert.match(both.stderr.trim(), /^nabla: imdb: maxlen \(drop longer reviews\) and truncate \(cut them\) exclude each other$/);
});
