// A missing or broken addon never breaks the package: the reference backend takes over and says so.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const script = `
import * as nb from './src/index.ts';
const x = nb.vector('x');
const f = nb.fn([x], x.mul(2).sum());
console.log(JSON.stringify({ value: f([1, 2, 3]), backend: f.backend.name }));
`;

function runWithAddon(path: string, backend?: string) {
  const env: NodeJS.ProcessEnv = { ...process.env, NABLA_NATIVE_ADDON: path };
  delete env.NABLA_BACKEND;
  if (backend) env.NABLA_BACKEND = backend;
  return spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8', env });
}

test('a missing addon falls back to the reference backend with a one-line notice', () => {
  const result = runWithAddon('/nonexistent/nabla_native.node');
  assert.equal(result.status, 0, result.stderr);
  assert.deepEqual(JSON.parse(result.stdout), { value: 12, backend: 'reference' });
  assert.match(result.stderr, /native backend unavailable \(\/nonexistent\/nabla_native.node is not built\); using the reference backend/);
  assert.equal(result.stderr.trim().split('\n').length, 1);
});

test('a corrupt addon file falls back too, naming the load failure', () => {
  const dir = mkdtempSync(join(tmpdir(), 'nabla-addon-'));
  const bogus = join(dir, 'nabla_native.node');
  writeFileSync(bogus, 'not a shared object');
  const result = runWithAddon(bogus);
  assert.equal(result.status, 0, result.stderr);
  assert.equal(JSON.parse(result.stdout).backend, 'reference');
  assert.match(result.stderr, /failed to load.*using the reference backend/);
});

test('asking for the native backend explicitly when it is missing is an error, not a silent fallback', () => {
  const result = runWithAddon('/nonexistent/nabla_native.node', 'native');
  assert.notEqual(result.status, 0);
  assert.match(result.stderr, /native backend is not available/);
});
