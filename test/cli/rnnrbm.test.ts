// `nabla train rnnrbm` on a folder of real Nottingham MIDI files: the --json summary with accuracies as
// fractions, the run's files, a run stopped midway and resumed ending as an uninterrupted one, `nabla
// sample` writing playable MIDI files and piano-roll pictures, and one-line errors for bad input.
import '../single-thread.js';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getRecipe } from '../../src/cli/recipes/index.js';
import { pianoRoll } from '../../src/data/index.js';
import { writeMusicFolder } from '../data/nottingham-fixture.js';
import { lastJson, nabla } from './fixtures.js';

const root = mkdtempSync(join(tmpdir(), 'nabla-rnnrbm-'));
const music = writeMusicFolder(join(root, 'music'), { train: 8, valid: 3, test: 3 });
const small = { dataset: music, epochs: '2', hidden: '20', recurrent: '10', k: '3', lr: '0.01' };
const flags = Object.entries(small).flatMap(([k, v]) => [`--${k}`, v]);

/** A summary without its timings and paths, which differ from run to run. */
const untimed = (s: Record<string, unknown>) => Object.fromEntries(Object.entries(s).filter(([k]) =>
  !['seconds', 'cpu_seconds', 'seconds_per_epoch', 'resumed_from', 'model_path', 'metrics_path', 'resume_path', 'pictures'].includes(k)));

let modelPath = '';

test('nabla train rnnrbm --json: accuracies as fractions at the end, the monitor per epoch, files written', () => {
  const out = join(root, 'cli');
  const trained = nabla('train', 'rnnrbm', ...flags, '--timing', 'tutorial', '--quiet', '--json', '--out', out);
  assert.equal(trained.status, 0, trained.stderr);
  const summary = lastJson(trained);
  assert.equal(summary.model, 'rnnrbm');
  assert.deepEqual(summary.songs, { train: 8, valid: 3, test: 3 });
  assert.deepEqual(Object.keys(summary).slice(-2), ['best_valid_accuracy', 'test_accuracy']);
  for (const key of ['best_valid_accuracy', 'test_accuracy']) {
    assert.ok(typeof summary[key] === 'number' && summary[key] > 0 && summary[key] < 1, `${key} ${summary[key]}`);
  }
  for (const f of ['model.nbm', 'resume.nbm', 'metrics.jsonl', 'curves-train_cost.png', 'curves-valid_error.png', 'curves-valid_error.svg']) assert.ok(existsSync(join(out, f)), f);
  const rows = readFileSync(join(out, 'metrics.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, number>);
  assert.equal(rows.length, 2);
  assert.ok(rows[1].train_cost > rows[0].train_cost, 'the monitor (a log-likelihood) rises');
  assert.equal(summary.monitor, Number(rows[1].train_cost.toFixed(6)));
  modelPath = summary.model_path as string;
});

test('an rnnrbm run stopped midway and resumed ends as the uninterrupted run', async () => {
  const recipe = getRecipe('rnnrbm');
  const whole = await recipe.run({ ...small, out: join(root, 'whole') }, { quiet: true });
  const out = join(root, 'stopped');
  const perEpoch = (whole.iterations as number) / 2;
  await recipe.run({ ...small, out }, { quiet: true, stopAfter: perEpoch + 3 });
  const resumed = await recipe.run({ ...small, out, resume: 'true' }, { quiet: true });
  assert.equal(resumed.resumed_from, perEpoch);
  assert.deepEqual(untimed(resumed), untimed(whole));
});

test('nabla sample writes playable MIDI files and piano-roll pictures of new pieces', () => {
  const out = join(root, 'samples');
  const sampled = nabla('sample', modelPath, '--out', out, '--pieces', '2', '--steps', '30', '--json');
  assert.equal(sampled.status, 0, sampled.stderr);
  const { pieces } = lastJson(sampled) as { pieces: { midi: string; picture: string }[] };
  assert.equal(pieces.length, 2);
  for (const { midi, picture } of pieces) {
    const song = pianoRoll(readFileSync(midi), midi, { dt: 0.3, range: [21, 109] });
    assert.ok(song.length <= 30 && song.flat().length > 0, `${midi}: ${song.length} steps`);
    assert.deepEqual([...readFileSync(picture).subarray(1, 4)].map((c) => String.fromCharCode(c)).join(''), 'PNG');
  }
});

test('nabla eval gives an RNN-RBM\'s frame-level accuracy and, asked for, its AIS log-likelihood', () => {
  const evaluated = nabla('eval', modelPath, '--dataset', music, '--split', 'valid', '--ais-chains', '4', '--ais-temperatures', '20', '--json');
  assert.equal(evaluated.status, 0, evaluated.stderr);
  type Evaluation = { songs: number; accuracy: number; log_likelihood: { estimator: string; per_frame: number } };
  const result = lastJson(evaluated) as Evaluation;
  assert.equal(result.songs, 3);
  assert.ok(result.accuracy > 0 && result.accuracy < 1, `accuracy ${result.accuracy}`);
  assert.match(result.log_likelihood.estimator, /annealed importance sampling/);
  // Trained on sparse frames, it must beat a fair coin for each of the 88 pitches: 88·log(1/2) = −61 nats.
  assert.ok(result.log_likelihood.per_frame < 0 && result.log_likelihood.per_frame > -61, `${result.log_likelihood.per_frame}`);
});

test('bad music input gets one-line errors naming the file', () => {
  const bad = writeMusicFolder(join(root, 'bad'), { train: 1, valid: 1, test: 1 });
  writeFileSync(join(bad, 'train', 'notes.mid'), 'this is not a MIDI file');
  const result = nabla('train', 'rnnrbm', '--dataset', bad, '--epochs', '1', '--quiet');
  assert.equal(result.status, 1);
  assert.match(result.stderr.trim(), /^nabla: .*bad\/train\/notes\.mid: not a MIDI file \(it does not begin with an MThd header\)$/);
  const range = nabla('train', 'rnnrbm', '--dataset', music, '--pitch-range', '60,72', '--epochs', '1', '--quiet');
  assert.equal(range.status, 1);
  assert.match(range.stderr.trim(), /\.mid: note \d+ at [\d.]+ s is outside the pitch range \[60, 72\) \(clipping leaves such notes out\)$/);
});
