// Runs the tests with node's test runner under tsx (Node 20 has no glob for --test): first the engine
// suites (op table, grad, compile) on the native backend, when it is built, then every test file, in
// which those suites run on the reference backend. `npm test -- NAME` runs only files whose path has NAME.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const ENGINE_SUITES = ['test/ops/', 'test/grad/', 'test/compile/', 'test/scan/'];
const ADDON = process.env.NABLA_NATIVE_ADDON ?? 'build/Release/nabla_native.node';

function findTests(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return findTests(path);
    return name.endsWith('.test.ts') ? [path] : [];
  });
}

// Two test files run at once on a 2-core machine: one OpenMP thread each, or their threads would wait
// on each other's time slices (timing is for `nabla bench`, not tests).
const THREADS = { OMP_NUM_THREADS: process.env.OMP_NUM_THREADS ?? '1' };

function run(files, env) {
  const result = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=2', ...files], { stdio: 'inherit', env: { ...process.env, ...THREADS, ...env } });
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
console.log('# every test file (engine suites on the reference backend)');
status = run(files, { NABLA_TEST_BACKEND: 'reference' }) || status;
process.exit(status);
