// A run killed with SIGKILL (no chance to clean up) and restarted with --resume ends where an
// uninterrupted run with the same options ends: the same summary and the same model, bit for bit.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadModelFile } from '../../src/models/model-file.js';
import { lastJson, makeIdxFolder, nabla, startNabla } from './fixtures.js';

const data = makeIdxFolder();
const root = mkdtempSync(join(tmpdir(), 'nabla-kill-'));
// Dropout, momentum and a schedule, so that random-stream counters and velocities must be restored too.
const run = ['train', 'mlp', '--dataset', data, '--validation-size', '300', '--hidden', '64', '--dropout', '0.9,0.5', '--optimizer', 'momentum',
  '--lr', '0.02', '--schedule', 'step:0.5:5', '--epochs', '12', '--batch-size', '20', '--quiet', '--json'];

const metricRows = (out: string) => (existsSync(join(out, 'metrics.jsonl')) ? readFileSync(join(out, 'metrics.jsonl'), 'utf8').split('\n').filter(Boolean).length : 0);

test('nabla train --resume after SIGKILL ends where an uninterrupted run ends', async () => {
  const whole = nabla(...run, '--out', join(root, 'whole'));
  assert.equal(whole.status, 0, whole.stderr);

  const out = join(root, 'killed');
  const { child, done } = startNabla(...run, '--out', out);
  // Kill once three epochs are recorded: well inside the run, between two checkpoints.
  while (metricRows(out) < 3 && child.exitCode === null) await new Promise((r) => setTimeout(r, 5));
  child.kill('SIGKILL');
  const killed = await done;
  assert.equal(killed.signal, 'SIGKILL', 'the run was still going when killed');
  assert.equal(killed.stdout, '');

  const resumed = nabla(...run, '--out', out, '--resume');
  assert.equal(resumed.status, 0, resumed.stderr);
  const [a, b] = [lastJson(whole), lastJson(resumed)];
  // 900 training images in minibatches of 20: a validation, metrics row and resume state every 45 iterations.
  // The kill may land between a row and its resume state, so the run resumes from the last state written.
  const from = b.resumed_from as number;
  assert.ok(from >= 90 && from % 45 === 0 && from < (a.iterations as number), `resumed from iteration ${from}`);
  for (const key of ['epochs', 'iterations', 'best_valid_error', 'best_iteration', 'test_error', 'test_error_all', 'stopped_by']) assert.equal(b[key], a[key], key);
  const [modelA, modelB] = [loadModelFile(a.model_path as string), loadModelFile(b.model_path as string)];
  for (const name of Object.keys(modelA.tensors)) {
    assert.deepEqual(modelB.tensors[name].data, modelA.tensors[name].data, name);
  }
  const rows = (path: string) => readFileSync(path, 'utf8').trim().split('\n').map((l) => ({ ...JSON.parse(l), seconds: 0 }));
  assert.deepEqual(rows(b.metrics_path as string), rows(a.metrics_path as string));
});
