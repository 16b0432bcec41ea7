// Runs the tests with node's test runner under tsx (Node 20 has no glob for --test): first the engine
// suites (op table, grad, compile) on the native backend, when it is built, then every test file, in
// which those suites run on the reference backend. Between them, the op table's values and the addon's
// own tests run again on the addon built for the next narrower instruction set than the CPU's (NABLA_SIMD),
// so the paths other machines take are checked here too. `npm test -- NAME` runs only files whose path has NAME.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { constants, tmpdir } from 'node:os';
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

// The tests make their folders with mkdtemp under os.tmpdir() and most leave them there: thousands of
// /tmp/nabla-* after a few runs. So the whole run gets one fresh folder, TMPDIR names it for every test
// process and whatever they start (os.tmpdir() and mktemp read TMPDIR, and children inherit it), and it is
// removed when the run ends, passed, failed or interrupted. NABLA_KEEP_TEST_FILES=1 keeps it and prints its path.
const RUN_TMP = resolve(mkdtempSync(join(tmpdir(), 'nabla-test-run-')));
process.on('exit', () => {
  if (process.env.NABLA_KEEP_TEST_FILES === '1') {
    console.log(`# the tests' temporary files are kept in ${RUN_TMP}`);
    return;
  }
  try {
    rmSync(RUN_TMP, { recursive: true, force: true, maxRetries: 3 });
  } catch (e) {
    console.error(`# could not remove ${RUN_TMP}: ${e.message}`);
  }
});

// Each test runner leads a process group of its own, which holds the test files and every process they
// start. A signal that stops this script goes to that whole group (a command a killed test started would go on
// writing into the folder above), and then this script exits, so that the folder is removed even on Ctrl-C.
// When a runner ends, what is left of its group (a command whose test timed out) is ended too.
let current = null;
let stoppedBy = null;
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => {
    stoppedBy = signal;
    if (current) signalGroup(current, signal);
    else process.exit(128 + constants.signals[signal]);
  });
}

function signalGroup(child, signal) {
  try {
    process.kill(-child.pid, signal);
  } catch {
    // The group has no process left.
  }
}

function run(files, env) {
  const args = ['--import', 'tsx', '--test', '--test-concurrency=2', ...files];
  const childEnv = { ...process.env, ...TEST_ENV, ...env, TMPDIR: RUN_TMP };
  // Not the terminal's input: a process group in the background that read it would be stopped.
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'inherit', 'inherit'], env: childEnv, detached: true });
  current = child;
  return new Promise((done) => child.on('close', (code) => {
    current = null;
    signalGroup(child, 'SIGTERM');
    if (stoppedBy) process.exit(128 + constants.signals[stoppedBy]);
    done(code ?? 1);
  }));
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
  status = await run(engine, { NABLA_TEST_BACKEND: 'native' });
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
    status = (await run(narrower, { NABLA_TEST_BACKEND: 'native', NABLA_SIMD: level })) || status;
  }
}
console.log('# every test file (engine suites on the reference backend)');
status = (await run(files, { NABLA_TEST_BACKEND: 'reference' })) || status;
process.exit(status);
