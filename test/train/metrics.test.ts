// The metrics file: JSON lines appended per validation, read back, and cut back when a run resumes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { appendMetrics, keepMetrics, measureName, readMetrics, truncateMetrics, type MetricsLine, type MetricsRow } from '../../src/train/index.js';

const row = (iteration: number): MetricsRow => ({
  epoch: iteration / 10,
  iteration,
  train_cost: 1 / iteration,
  valid_error: 0.1,
  best_valid_error: 0.1,
  test_error: 0.11,
  seconds: iteration,
});

test('metrics rows append, read back, and truncate to an iteration', () => {
  const path = join(mkdtempSync(join(tmpdir(), 'nabla-metrics-')), 'metrics.jsonl');
  assert.deepEqual(readMetrics(path), [], 'no file yet, no rows');
  for (const i of [10, 20, 30]) appendMetrics(path, row(i));
  assert.deepEqual(readMetrics(path), [row(10), row(20), row(30)]);
  appendFileSync(path, '{"epoch": 4, "iter'); // a kill in the middle of a write
  assert.deepEqual(readMetrics(path), [row(10), row(20), row(30)], 'a cut-off last line is ignored');
  assert.deepEqual(truncateMetrics(path, 20), [row(10), row(20)]);
  assert.deepEqual(readMetrics(path), [row(10), row(20)]);
  writeFileSync(path, `${JSON.stringify(row(10))}\nnot json\n${JSON.stringify(row(20))}\n`);
  assert.throws(() => readMetrics(path), new RegExp(`${path}: line 2 is not JSON`));
});

test('a stage of a longer run cuts back its own lines only; a line cut short goes in any case', () => {
  const path = join(mkdtempSync(join(tmpdir(), 'nabla-metrics-')), 'metrics.jsonl');
  const line = (stage: string, epoch: number): MetricsLine => ({
    epoch, iteration: 10 * epoch, seconds: epoch, stage, cost: 1 / epoch,
  });
  const lines = [line('pretrain-1', 1), line('pretrain-1', 2), line('finetune', 1), line('finetune', 2), line('finetune', 3)];
  for (const l of lines) appendMetrics(path, l);
  appendFileSync(path, '{"epoch": 4, "iter');
  assert.deepEqual(truncateMetrics<MetricsLine>(path, 20, 'finetune'), lines.slice(2, 4));
  assert.deepEqual(readMetrics<MetricsLine>(path), lines.slice(0, 4));
  appendMetrics(path, line('finetune', 3));
  assert.deepEqual(readMetrics<MetricsLine>(path).length, 5, 'the cut line was removed before the next append');
  assert.deepEqual(keepMetrics<MetricsLine>(path, (l) => l.stage !== 'finetune'), lines.slice(0, 2));
  assert.equal(measureName('reconstruction cross-entropy'), 'reconstruction_cross_entropy');
  assert.equal(measureName('Pseudo-likelihood'), 'pseudo_likelihood');
});
