// Runs the tests with node's test runner under tsx (Node 20 has no glob for --test): first the engine
// suites (op table, grad, compile) on the native backend, when it is built, then every test file, in
// which those suites run on the reference backend. Between them, the op table's values and the addon's
// own tests run again on the addon built for the next narrower instruction set than the CPU's (NABLA_SIMD),
// so the paths other machines take are checked here too. `npm test -- NAME` runs only files whose path has NAME.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';

const ENGINE_SUITES = ['test/ops/', 'test/grad/', 'test/compile/', 'test/scan/'];
// Run again with the widest SIMD path disabled: the op table's values and the addon's own tests.
const NARROWER_SIMD_SUITES = ['test/ops/op-values.test.ts', 'test/native/addon.test.ts'];
const SIMD_LEVELS = ['baseline', 'avx2', 'avx512'];
const ADDON = process.env.NABLA_NATIVE_ADDON ?? 'build/Release/nabla_native.node';

function findTests(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return findTests(path);
    return name.endsWith('.test.ts') ? [path] : [];
  });
}

// Two test files run at once on a 2-core machine: one OpenMP thread each, or their threads would wait
// on each other's time slices (timing is for `nabla bench`, not tests). The gemm kernels are fixed, never
// measured (src/backends/native/kernel-choice.ts), so every machine runs the tests on the same ones.
const TEST_ENV = { OMP_NUM_THREADS: process.env.OMP_NUM_THREADS ?? '1', NABLA_GEMM: process.env.NABLA_GEMM ?? 'default' };

function run(files, env) {
  const result = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=2', ...files], { stdio: 'inherit', env: { ...process.env, ...TEST_ENV, ...env } });
  return result.status ?? 1;
}

const filters = process.argv.slice(2);
const files = findTests('test').filter((f) => filters.length === 0 || filters.some((s) => f.includes(s))).sort();
if (files.length === 0) {
  console.error(`no test files match ${filters.join(' ')}`);
  process.exit(1);
}
let status = 0;
const engine = files.filter((f) => ENGINE_SUITES.some((dir) => f.startsWith(dir)));
if (engine.length && existsSync(ADDON)) {
  console.log('# engine suites on the native backend');
  status = run(engine, { NABLA_TEST_BACKEND: 'native' });
} else if (engine.length) {
  console.log(`# ${ADDON} is not built: the engine suites run on the reference backend only`);
}
const narrower = files.filter((f) => NARROWER_SIMD_SUITES.includes(f));
if (narrower.length && existsSync(ADDON)) {
  // The baseline addon says what the CPU supports; one level below it is the path to check.
  const supported = createRequire(import.meta.url)(resolve(ADDON)).info().supportedSimd;
  const level = SIMD_LEVELS[SIMD_LEVELS.indexOf(supported) - 1];
  if (level) {
    console.log(`# the op table's values and the addon's tests on the ${level} path (NABLA_SIMD=${level})`);
    status = run(narrower, { NABLA_TEST_BACKEND: 'native', NABLA_SIMD: level }) || status;
  }
}
console.log('# every test file (engine suites on the reference backend)');
status = run(files, { NABLA_TEST_BACKEND: 'reference' }) || status;
process.exit(status);
