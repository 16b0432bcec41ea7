// Small things a user meets at the end of a run: a finished run resumed with more epochs goes on to the
// new count (ending where one longer run ends, bit for bit); the validation split fits the data by
// default and the summary says what it was; an RBM's summary prints its figures.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lastJson, makeIdxFolder, nabla } from './fixtures.js';

const data = makeIdxFolder(600, 100);
const root = mkdtempSync(join(tmpdir(), 'nabla-cases-'));
// Momentum, so that a continued run needs the velocities of its last checkpoint, not the best weights.
const mlp = ['train', 'mlp', '--dataset', data, '--hidden', '16', '--batch-size', '20', '--optimizer', 'momentum', '--quiet', '--json'];
const rows = (path: string) => readFileSync(path, 'utf8').trim().split('\n').map((l) => ({ ...JSON.parse(l), seconds: 0 }));

test('a finished run resumed with more --epochs continues to them, as one longer run', () => {
  const out = join(root, 'longer');
  const first = nabla(...mlp, '--epochs', '2', '--out', out);
  assert.equal(lastJson(first).epochs, 2, first.stderr);
  const more = nabla(...mlp, '--epochs', '4', '--out', out, '--resume');
  assert.equal(more.status, 0, more.stderr);
  assert.match(more.stderr, /resume\.nbm: the run ended after 2 epochs; continuing to 4/);
  const straight = nabla(...mlp, '--epochs', '4', '--out', join(root, 'straight'));
  const [a, b] = [lastJson(straight), lastJson(more)];
  for (const key of ['epochs', 'iterations', 'best_valid_error', 'best_iteration', 'test_error', 'stopped_by']) assert.equal(b[key], a[key], key);
  assert.deepEqual(readFileSync(b.model_path as string), readFileSync(a.model_path as string));
  assert.deepEqual(rows(b.metrics_path as string), rows(a.metrics_path as string));
  // Asked for no more than it ran, it reports its result as it stands.
  const again = nabla(...mlp, '--epochs', '3', '--out', out, '--resume');
  assert.equal(lastJson(again).epochs, 4);
});

test('by default a sixth of the training files validate (600 images: 100), and the summary says so', () => {
  const run = nabla('train', 'logreg', '--dataset', data, '--epochs', '1', '--batch-size', '50', '--quiet', '--out', join(root, 'sixth'));
  assert.equal(run.status, 0, run.stderr);
  assert.match(run.stdout, /^validation: the last 100 images of the training files$/m);
  assert.match(run.stdout, /^logreg: best validation error [\d.]+% at iteration 10,/m);
});

test("nabla train rbm's summary prints its monitor, nothing undefined", () => {
  const run = nabla('train', 'rbm', '--dataset', data, '--epochs', '1', '--hidden', '16', '--k', '1', '--chains', '2', '--samples', '1',
    '--plot-every', '2', '--quiet', '--out', join(root, 'rbm'));
  assert.equal(run.status, 0, run.stderr);
  assert.doesNotMatch(run.stdout, /undefined|NaN/);
  assert.match(run.stdout, /^rbm: pseudo-likelihood -[\d.]+ in the last epoch\n1 epochs in [\d.]+ s on the \w+ backend\nmodel: /);
});
