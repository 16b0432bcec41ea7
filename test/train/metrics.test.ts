// The metrics file: JSON lines appended per validation, read back, and cut back when a run resumes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { appendMetrics, readMetrics, truncateMetrics, type MetricsRow } from '../../src/train/index.js';

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
