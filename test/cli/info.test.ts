// nabla info: the backend, the CPU's features, the SIMD path and the gemm kernel of each shape class.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { nabla, lastJson } from './fixtures.js';

test('nabla info names the SIMD path, OpenBLAS and the gemm kernels, and --json gives them as one object', (t) => {
  const json = nabla('info', '--json');
  assert.equal(json.status, 0, json.stderr);
  const info = lastJson(json) as { backend: string; native?: Record<string, unknown> };
  if (!info.native) return t.skip('the native addon is not built');
  assert.ok(['baseline', 'avx2', 'avx512'].includes(info.native.simd as string));
  // Tests never measure: scripts/run-tests.mjs fixes the choice, and under node --test the default holds.
  assert.ok(['NABLA_GEMM', 'default'].includes(info.native.gemmSource as string), String(info.native.gemmSource));
  const text = nabla('info');
  assert.equal(text.status, 0, text.stderr);
  assert.match(text.stdout, /^native addon +\/\S+nabla_native(_avx2|_avx512)?\.node$/m);
  assert.match(text.stdout, /^simd path +(baseline|avx2|avx512)/m);
  assert.match(text.stdout, /^openblas +\w+ kernels, \d+ threads$/m);
  assert.match(text.stdout, /^gemm cache +(blas|ours) \(A up to 8 MiB: dense layers\)$/m);
  assert.match(text.stdout, /^gemm choice +(fixed by NABLA_GEMM|the default \(tests fix it\))$/m);
});

test("nabla --version prints package.json's version", () => {
  const result = nabla('--version');
  assert.equal(result.status, 0, result.stderr);
  const { version } = JSON.parse(readFileSync(join(import.meta.dirname, '..', '..', 'package.json'), 'utf8')) as { version: string };
  assert.equal(result.stdout.trim(), version);
});
