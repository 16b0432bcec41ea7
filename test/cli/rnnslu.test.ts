// `nabla train rnnslu` on a slice of ATIS: the --json summary with F1 as fractions, the run's files, a
// run stopped midway and resumed ending as an uninterrupted one, another train/valid split of the same
// layout, and `nabla predict --text` and `nabla neighbours` on the saved model, with their one-line errors.
import '../single-thread.js';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { getRecipe } from '../../src/cli/recipes/index.js';
import { LogisticRegression } from '../../src/models/index.js';
import { shuffleInPlace } from '../../src/random/index.js';
import { ATIS_FILE } from '../data/atis-fixture.js';
import { assertOneLineError, lastJson, nabla } from './fixtures.js';

const root = mkdtempSync(join(tmpdir(), 'nabla-rnnslu-'));
const quick = ['--dataset', ATIS_FILE, '--limit', '200,80,80', '--epochs', '2', '--window', '3', '--embedding', '10', '--hidden', '20', '--quiet'];
const raw = { dataset: ATIS_FILE, limit: '200,80,80', epochs: '2', window: '3', embedding: '10', hidden: '20' };

/** A summary without its timings, which differ from run to run. */
const untimed = (s: Record<string, unknown>) => Object.fromEntries(
  Object.entries(s).filter(([k]) => !['seconds', 'cpu_seconds', 'seconds_per_epoch', 'resumed_from', 'model_path', 'metrics_path', 'resume_path', 'pictures'].includes(k)),
);

let modelPath = '';

test('nabla train rnnslu --json: F1 as fractions at the end of the summary, model, metrics and curves written', () => {
  const out = join(root, 'cli');
  const trained = nabla('train', 'rnnslu', ...quick, '--json', '--out', out);
  assert.equal(trained.status, 0, trained.stderr);
  const summary = lastJson(trained);
  assert.equal(summary.model, 'rnnslu');
  assert.equal(summary.dataset, ATIS_FILE);
  assert.equal(summary.epochs, 2);
  assert.deepEqual(Object.keys(summary).slice(-2), ['best_valid_f1', 'test_f1']);
  for (const key of ['best_valid_f1', 'test_f1', 'valid_precision', 'valid_recall', 'test_precision', 'test_recall']) {
    assert.ok(typeof summary[key] === 'number' && summary[key] >= 0 && summary[key] <= 1, `${key} ${summary[key]}`);
  }
  for (const f of ['model.nbm', 'resume.nbm', 'metrics.jsonl', 'curves-train_cost.png', 'curves-valid_f1.png', 'curves-test_f1.svg']) assert.ok(existsSync(join(out, f)), f);
  const rows = readFileSync(join(out, 'metrics.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, number>);
  assert.deepEqual(rows.map((r) => r.iteration), [200, 400]);
  assert.ok(rows[1].train_cost < rows[0].train_cost);
  modelPath = summary.model_path as string;
});

test('nabla predict --text tags a sentence; neighbours lists nearest words; errors are one line', () => {
  const tagged = nabla('predict', modelPath, '--text', 'Show me flights from Boston to Denver on flight 1230', '--json');
  assert.equal(tagged.status, 0, tagged.stderr);
  type Tagged = { words: string[]; read_as: string[]; tags: string[] };
  const [result] = (lastJson(tagged) as { predictions: Tagged[] }).predictions;
  assert.equal(result.tags.length, 10);
  assert.equal(result.read_as[9], 'DIGITDIGITDIGITDIGIT');
  assert.ok(result.tags.every((t) => t === 'O' || /^[BI]-/.test(t)));
  const near = nabla('neighbours', modelPath, 'boston', '--k', '3');
  assert.equal(near.status, 0, near.stderr);
  assert.match(near.stdout, /^\S+ +-?\d\.\d{4}\n\S+ +-?\d\.\d{4}\n\S+ +-?\d\.\d{4}\n$/);
  assertOneLineError(nabla('neighbours', modelPath, 'atlantis'), /^nabla: .*model\.nbm: 'atlantis' is not in the model's dictionary of 572 words$/);
  assertOneLineError(nabla('predict', modelPath), /^nabla: .*model\.nbm: holds a text model \(elman\); give the text with --text/);
  const image = join(root, 'logreg.nbm');
  new LogisticRegression({ imageShape: [28, 28], classes: 10 }).save(image);
  assertOneLineError(nabla('predict', image, '--text', 'from boston'), /^nabla: .*logreg\.nbm: holds an image model \(logreg\), which does not read --text/);
});

test('a run stopped midway and resumed ends as the uninterrupted run', async () => {
  const recipe = getRecipe('rnnslu');
  const whole = await recipe.run({ ...raw, out: join(root, 'whole') }, { quiet: true });
  const out = join(root, 'stopped');
  const stopped = await recipe.run({ ...raw, out }, { quiet: true, stopAfter: 200 + 50 });
  assert.equal(stopped.stopped_by, 'interrupted');
  const resumed = await recipe.run({ ...raw, out, resume: true }, { quiet: true });
  assert.equal(resumed.resumed_from, 1);
  assert.deepEqual(untimed(resumed), untimed(whole));
  assert.deepEqual(readFileSync(join(out, 'model.nbm')), readFileSync(join(root, 'whole', 'model.nbm')));
});

test('another train/valid split in the same layout trains unchanged; a damaged file is one line naming it', async () => {
  type Split = { words: number[][]; tables: number[][]; labels: number[][] };
  const fold = JSON.parse(gunzipSync(readFileSync(ATIS_FILE)).toString()) as Record<string, Split>;
  const pooled = ['train', 'valid'].flatMap((split) => fold[split].words.map((_, i) => ({ split, i })));
  shuffleInPlace(pooled, 2026, 0);
  const pick = (items: typeof pooled) => Object.fromEntries(['words', 'tables', 'labels'].map((f) => [f, items.map(({ split, i }) => fold[split][f as 'words'][i])]));
  const resplit = join(root, 'resplit.json.gz');
  const [valid, train] = [pick(pooled.slice(0, 995)), pick(pooled.slice(995))];
  writeFileSync(resplit, gzipSync(JSON.stringify({ ...fold, train, valid })));
  const summary = await getRecipe('rnnslu').run({ ...raw, epochs: '1', dataset: resplit, out: join(root, 'resplit') }, { quiet: true });
  assert.equal(summary.dataset, resplit);
  assert.ok((summary.best_valid_f1 as number) >= 0);

  const broken = join(root, 'broken.json');
  const labels = [[999], ...fold.test.labels.slice(1)];
  writeFileSync(broken, JSON.stringify({ ...fold, test: { ...fold.test, labels } }));
  assertOneLineError(nabla('train', 'rnnslu', '--dataset', broken, '--quiet'), /^nabla: .*broken\.json: test sentence 0: labels\[0\] is 999, an unknown tag \(labels2idx has indices 0 to 126\)$/);
});
