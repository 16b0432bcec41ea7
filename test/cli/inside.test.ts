// nabla hmc, attack and visualize: the summaries' fields, the pictures, and one-line errors on bad input.
import '../single-thread.js';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lastJson, nabla } from './fixtures.js';

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
