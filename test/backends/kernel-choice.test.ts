// Choosing OpenBLAS or our gemm kernel per shape class by measurement, with injected timings: a fake
// addon whose products advance a fake clock by what each kernel is told to cost, in both orders; the
// margin; the cache file and NABLA_GEMM; a real addon under the test runner never measures.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddonInfo, GemmClass, GemmKernel } from '../../src/backends/native/addon.js';
import {
  CALIBRATION_SHAPES, DEFAULT_GEMM, MARGIN, cachePath, everyClass, calibrate, chooseKernels, initialChoice, machineKey,
  parseGemmSetting, type GemmChoice,
} from '../../src/backends/native/kernel-choice.js';
import { backendInfo, getBackend } from '../../src/backends/index.js';

/** The shape class native/kernels/linalg/gemm.cc puts a float32 product in. */
function shapeClass(transA: boolean, transB: boolean, M: number, N: number, K: number): GemmClass {
  if (!transB && N <= 16) return transA ? 'narrowT' : 'narrow';
  return M * K * 4 <= 8 << 20 ? 'cache' : 'large';
}

/** An addon whose gemm costs `cost[class][kernel]` ms of a fake clock, by the kernel its class is set to. */
function fakeAddon(cost: Record<GemmClass, Record<GemmKernel, number>>, start: GemmChoice = DEFAULT_GEMM) {
  const chosen: GemmChoice = { ...start };
  const fake = {
    clock: 0,
    products: 0,
    threadsSeen: new Set<number>(),
    gemm(transA: boolean, transB: boolean, M: number, N: number, K: number) {
      const c = shapeClass(transA, transB, M, N, K);
      fake.clock += cost[c][chosen[c]];
      fake.products++;
      fake.threadsSeen.add(fake.threadCount);
    },
    gemmKernel(c: GemmClass, kernel?: GemmKernel): GemmKernel {
      if (kernel) chosen[c] = kernel;
      return chosen[c];
    },
    threadCount: 2,
    threads(n?: number): number {
      if (n !== undefined) fake.threadCount = n;
      return fake.threadCount;
    },
    info(): AddonInfo {
      return { blasCore: 'Fake', threads: 2, simd: 'avx2', supportedSimd: 'avx2', cpuModel: 'Test CPU', cpuFeatures: ['avx2'], built: 'Dec 3 2026 16:40:00' };
    },
    chosen,
  };
  return fake;
}

const fast = { ours: 1, blas: 2 }, slow = { ours: 2, blas: 1 };

test('the calibration shapes fall in the classes they stand for', () => {
  for (const [c, shapes] of Object.entries(CALIBRATION_SHAPES)) {
    for (const [transA, transB, M, N, K] of shapes) assert.equal(shapeClass(transA, transB, M, N, K), c, `${M}x${N}x${K}`);
  }
});

test('calibration picks the faster kernel of each class, whichever it is, and restores the addon', () => {
  const addon = fakeAddon({ narrow: fast, narrowT: slow, cache: slow, large: fast });
  const times = calibrate(addon, { now: () => addon.clock, rounds: 5, coldBytes: 0 });
  assert.deepEqual(chooseKernels(times), { narrow: 'ours', narrowT: 'blas', cache: 'blas', large: 'ours' });
  assert.equal(times.cache.ours.length, 5);
  assert.deepEqual(addon.chosen, DEFAULT_GEMM);
  assert.deepEqual([...addon.threadsSeen], [1], 'timed on one thread');
  assert.equal(addon.threadCount, 2);
  // The other order.
  const reversed = fakeAddon({ narrow: slow, narrowT: fast, cache: fast, large: slow });
  assert.deepEqual(chooseKernels(calibrate(reversed, { now: () => reversed.clock, coldBytes: 0 })), { narrow: 'blas', narrowT: 'ours', cache: 'ours', large: 'blas' });
});

test('our kernel replaces OpenBLAS only when faster by the margin', () => {
  const within = { ours: [9.6, 9.7, 9.5], blas: [10, 10, 10] };
  const beyond = { ours: [8.5, 8.6, 20], blas: [10, 10, 10] };
  assert.equal(MARGIN, 0.05);
  assert.deepEqual(chooseKernels({ narrow: within, narrowT: beyond, cache: beyond, large: within }), { narrow: 'blas', narrowT: 'ours', cache: 'ours', large: 'blas' });
  // A median, not a mean: one slow round (a neighbour's burst) does not decide.
  assert.equal(chooseKernels({ narrow: beyond, narrowT: within, cache: beyond, large: beyond }).narrow, 'ours');
});

test('NABLA_GEMM fixes the choice; a bad value is one line naming it', () => {
  assert.deepEqual(parseGemmSetting('blas'), everyClass('blas'));
  assert.deepEqual(parseGemmSetting('ours'), { narrow: 'ours', narrowT: 'ours', cache: 'ours', large: 'ours' });
  assert.deepEqual(parseGemmSetting('default'), DEFAULT_GEMM);
  assert.deepEqual(parseGemmSetting('cache=blas, large=ours'), { ...DEFAULT_GEMM, cache: 'blas', large: 'ours' });
  assert.throws(() => parseGemmSetting('wide=ours'), { message: /^NABLA_GEMM: unknown shape class 'wide' in 'wide=ours'; expected/ });
  assert.throws(() => parseGemmSetting('cache=mkl'), { message: /^NABLA_GEMM: 'cache=mkl' does not name blas or ours/ });
});

test('the first load on a machine measures and caches; later loads read the cache; NABLA_GEMM and the test runner never measure', () => {
  const dir = mkdtempSync(join(tmpdir(), 'nabla-cache-'));
  const env = { XDG_CACHE_HOME: dir };
  assert.equal(cachePath(env), join(dir, 'nabla', 'kernels.json'));
  const addon = fakeAddon({ narrow: slow, narrowT: slow, cache: slow, large: slow });
  const errors: string[] = [];
  const log = console.error;
  console.error = (line: string) => errors.push(line);
  try {
    assert.deepEqual(initialChoice(addon, { env, calibration: { now: () => addon.clock, coldBytes: 0 } }), { choice: everyClass('blas'), source: 'measured' });
  } finally {
    console.error = log;
  }
  assert.match(errors.join('\n'), /timing OpenBLAS against our gemm kernels on this CPU, once/);
  assert.deepEqual(addon.chosen, everyClass('blas'));
  const cached = JSON.parse(readFileSync(cachePath(env), 'utf8'));
  assert.deepEqual(Object.keys(cached), [machineKey(addon)]);
  assert.match(machineKey(addon), /^Test CPU \| \d+ cores \| OpenBLAS Fake \| avx2 built Dec 3 2026 16:40:00$/);

  const again = fakeAddon({ narrow: fast, narrowT: fast, cache: fast, large: fast });
  assert.deepEqual(initialChoice(again, { env }), { choice: everyClass('blas'), source: 'cache' });
  assert.equal(again.products, 0);

  const fixed = fakeAddon({ narrow: fast, narrowT: fast, cache: fast, large: fast });
  const fixedEnv = { ...env, NABLA_GEMM: 'narrow=blas' };
  assert.deepEqual(initialChoice(fixed, { env: fixedEnv }).choice, { ...DEFAULT_GEMM, narrow: 'blas' });
  const testEnv = { XDG_CACHE_HOME: join(dir, 'none'), NODE_TEST_CONTEXT: 'child' };
  assert.deepEqual(initialChoice(fixed, { env: testEnv }), { choice: DEFAULT_GEMM, source: 'default' });
  assert.equal(fixed.products, 0);
});

test('the backend reports the SIMD path and the gemm kernels, fixed under the test runner', (t) => {
  if (getBackend().name !== 'native') return t.skip('native backend not in use');
  const { native } = backendInfo();
  assert.ok(native);
  assert.equal(native.gemmSource, process.env.NABLA_GEMM ? 'NABLA_GEMM' : 'default');
  assert.ok(['baseline', 'avx2', 'avx512'].includes(native.simd));
  assert.match(native.blasCore, /^\w+$/);
});
