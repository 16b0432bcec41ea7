// Choosing from how many elements each loop family takes several threads, and a convolution's threads, by
// measurement, with injected timings: a fake addon whose calls advance a fake clock by what one thread or all
// are told to cost, in both orders; the margin; the cache entry beside the gemm choice; NABLA_PARALLEL; one
// thread and the test runner never measure. Then the real addon: its settings, and the same values either way.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LOOP_FAMILIES, type AddonInfo, type ConvThreads, type LoopFamily } from '../../src/backends/native/addon.js';
import { cachePath, machineKey, storeChoice } from '../../src/backends/native/kernel-choice.js';
import {
  CALIBRATION_SIZES, DEFAULT_THREADS, applyThreads, NEVER, asThreadChoice, calibrateThreads, chooseConv, chooseMinimum,
  chooseThreads,
  currentThreads, initialThreads, parseThreadSetting, type ThreadChoice,
} from '../../src/backends/native/thread-choice.js';
import { backendInfo, getBackend } from '../../src/backends/index.js';
import { loadAddon } from '../../src/backends/native/addon.js';

/** Ms a call costs: per family, by size, on one thread and on all; and a convolution per mode. */
interface Costs {
  family: (family: LoopFamily, size: number, threads: number) => number;
  conv: Record<ConvThreads, number>;
}

function fakeAddon(costs: Costs, threads = 2) {
  const settings: ThreadChoice = { ...DEFAULT_THREADS };
  const fake = {
    clock: 0,
    calls: 0,
    threadCount: threads,
    settings,
    threads(n?: number): number {
      if (n !== undefined) fake.threadCount = n;
      return fake.threadCount;
    },
    parallelMinimum(family: LoopFamily, elements?: number): number {
      if (elements !== undefined) settings[family] = elements;
      return settings[family];
    },
    convThreads(mode?: ConvThreads): ConvThreads {
      if (mode) settings.conv = mode;
      return settings.conv;
    },
    charge(family: LoopFamily, size: number) {
      // Threads only where the family's size says so, as the addon's loops do.
      const used = size >= settings[family] ? fake.threadCount : 1;
      fake.clock += costs.family(family, size, used);
      fake.calls++;
    },
    elementwise(_p: Int32Array, _c: Float64Array, _i: unknown[], _s: Int32Array, _o: Int32Array, shape: Int32Array) {
      fake.charge('elementwise', shape[0]);
    },
    reduce(_op: string, _x: unknown, _outer: number, n: number) {
      fake.charge('reduce', n);
    },
    maxPool2d(_x: unknown, planes: number) {
      fake.charge('pool', planes * 576);
    },
    conv2d() {
      fake.clock += costs.conv[settings.conv];
      fake.calls++;
    },
    opcodes: { input: 0, const: 1, mul: 2, tanh: 3 } as never,
    info(): AddonInfo {
      return { blasCore: 'Fake', threads, simd: 'avx2', supportedSimd: 'avx2', cpuModel: 'Test CPU', cpuFeatures: ['avx2'], built: 'Dec 3 2026 18:00:00' };
    },
  };
  return fake;
}

// Threads cost 0.05 ms to start and halve the work (1e-5 ms an element): they pay from 2^14 elements on.
const threadsPay = (_f: LoopFamily, size: number, threads: number) =>
  (threads > 1 ? 0.05 + size * 0.5e-5 : size * 1e-5);
// A busy machine: every parallel region waits for a core.
const threadsStall = (_f: LoopFamily, size: number, threads: number) => (threads > 1 ? 5 + size * 1e-5 : size * 1e-5);

test('calibration finds the size from which threads pay, whichever way each family goes, and restores the addon', () => {
  const addon = fakeAddon({ family: (f, size, n) => (f === 'reduce' ? threadsStall : threadsPay)(f, size, n), conv: { chunks: 2, gemm: 3 } });
  const times = calibrateThreads(addon, { now: () => addon.clock, rounds: 3 });
  assert.ok(times);
  assert.deepEqual(times.families.elementwise.map((t) => t.size), [...CALIBRATION_SIZES]);
  assert.deepEqual(chooseThreads(times), { elementwise: 1 << 14, reduce: NEVER, pool: 1 << 14, conv: 'chunks' });
  assert.deepEqual(addon.settings, DEFAULT_THREADS, 'the addon as it was');
  assert.equal(addon.threadCount, 2);
  // The other order: threads stall the loops and pay in the convolution.
  const other = fakeAddon({ family: (f, size, n) => (f === 'reduce' ? threadsPay : threadsStall)(f, size, n), conv: { chunks: 3, gemm: 2 } });
  const otherTimes = calibrateThreads(other, { now: () => other.clock, rounds: 3 });
  assert.ok(otherTimes);
  assert.deepEqual(chooseThreads(otherTimes), { elementwise: NEVER, reduce: 1 << 14, pool: NEVER, conv: 'gemm' });
});

test('threads must win by the margin at a size and at every larger one; medians, not means', () => {
  const t = (size: number, one: number[], all: number[]) => ({ size, one, all });
  // 4% is within the margin; a win at a small size followed by a loss at a larger one does not count.
  assert.equal(chooseMinimum([t(1, [10], [9.6]), t(2, [10], [5]), t(3, [10], [5])]), 2);
  assert.equal(chooseMinimum([t(1, [10], [5]), t(2, [10], [11]), t(3, [10], [5])]), 3);
  assert.equal(chooseMinimum([t(3, [10], [5]), t(1, [10], [5]), t(2, [10], [5])]), 1, 'in any order');
  assert.equal(chooseMinimum([t(1, [10], [10]), t(2, [10], [10])]), NEVER);
  assert.equal(chooseMinimum([t(1, [10, 10, 10], [5, 5, 90])]), 1, 'one slow round does not decide');
  assert.equal(chooseConv({ chunks: [10, 10, 10], gemm: [9.7, 9.6, 9.8] }), 'chunks');
  assert.equal(chooseConv({ chunks: [10, 10, 10], gemm: [8, 8, 30] }), 'gemm');
});

test('with one thread there is nothing to measure', () => {
  const addon = fakeAddon({ family: threadsPay, conv: { chunks: 1, gemm: 1 } }, 1);
  assert.equal(calibrateThreads(addon, { now: () => addon.clock }), undefined);
  const dir = mkdtempSync(join(tmpdir(), 'nabla-threads-'));
  assert.deepEqual(initialThreads(addon, { env: { XDG_CACHE_HOME: dir } }), { choice: DEFAULT_THREADS, source: 'one thread' });
  assert.equal(addon.calls, 0);
});

test('the first load measures and caches beside the gemm choice; later loads read it; NABLA_PARALLEL and the test runner never measure', () => {
  const dir = mkdtempSync(join(tmpdir(), 'nabla-threads-'));
  const env = { XDG_CACHE_HOME: dir };
  const addon = fakeAddon({ family: threadsStall, conv: { chunks: 3, gemm: 2 } });
  // A gemm calibration stored first is kept.
  const times = { ours: [1], blas: [2] };
  storeChoice(cachePath(env), machineKey(addon), { narrow: times, narrowT: times, cache: times, large: times }, { narrow: 'ours', narrowT: 'ours', cache: 'ours', large: 'ours' });
  const errors: string[] = [];
  const log = console.error;
  console.error = (line: string) => errors.push(line);
  const measured = { elementwise: NEVER, reduce: NEVER, pool: NEVER, conv: 'gemm' as const };
  try {
    assert.deepEqual(initialThreads(addon, { env, calibration: { now: () => addon.clock } }), { choice: measured, source: 'measured' });
  } finally {
    console.error = log;
  }
  assert.match(errors.join('\n'), /timing our kernels on one thread and on 2, once/);
  assert.deepEqual(addon.settings, measured, 'applied');
  const entry = JSON.parse(readFileSync(cachePath(env), 'utf8'))[machineKey(addon)];
  assert.equal(entry.gemm.cache, 'ours');
  assert.deepEqual(entry.threads.choice, measured);

  const again = fakeAddon({ family: threadsPay, conv: { chunks: 1, gemm: 2 } });
  assert.deepEqual(initialThreads(again, { env }), { choice: measured, source: 'cache' });
  assert.equal(again.calls, 0);
  assert.deepEqual(initialThreads(again, { env: { ...env, NABLA_PARALLEL: 'reduce=0,conv=chunks' } }).choice, { ...DEFAULT_THREADS, reduce: 0 });
  assert.deepEqual(initialThreads(again, { env: { ...env, NODE_TEST_CONTEXT: 'child' } }), { choice: DEFAULT_THREADS, source: 'default' });
  assert.equal(again.calls, 0);
});

test('NABLA_PARALLEL and recorded choices are checked; a bad value is one line naming it', () => {
  assert.deepEqual(parseThreadSetting('default'), DEFAULT_THREADS);
  assert.deepEqual(parseThreadSetting('elementwise=never, pool=0'), { ...DEFAULT_THREADS, elementwise: NEVER, pool: 0 });
  assert.throws(() => parseThreadSetting('softmax=1'), { message: /^NABLA_PARALLEL: unknown item 'softmax' in 'softmax=1'; expected/ });
  assert.throws(() => parseThreadSetting('reduce=-3'), { message: /^NABLA_PARALLEL: '-3' is not a number of elements or never/ });
  assert.throws(() => parseThreadSetting('conv=omp'), { message: /^NABLA_PARALLEL: conv must be chunks or gemm, not 'omp'/ });
  assert.throws(() => parseThreadSetting('conv'), { message: /^NABLA_PARALLEL: 'conv' is not name=value/ });
  assert.deepEqual(asThreadChoice(JSON.parse(JSON.stringify(DEFAULT_THREADS))), DEFAULT_THREADS);
  assert.equal(asThreadChoice({ ...DEFAULT_THREADS, pool: 1.5 }), undefined);
  assert.equal(asThreadChoice({ ...DEFAULT_THREADS, conv: 'x' }), undefined);
  assert.equal(asThreadChoice(null), undefined);
});

test('the addon takes the settings, refuses bad ones, and computes the same values on threads or not', (t) => {
  const { addon } = loadAddon();
  if (!addon) return t.skip('the native addon is not built');
  const before = currentThreads(addon);
  const threads = addon.threads();
  try {
    assert.equal(addon.parallelMinimum('reduce', 1234), 1234);
    assert.equal(addon.parallelMinimum('reduce'), 1234);
    assert.equal(addon.convThreads('gemm'), 'gemm');
    assert.throws(() => addon.parallelMinimum('softmax' as never), { message: 'parallelMinimum: family must be elementwise, reduce or pool' });
    assert.throws(() => addon.parallelMinimum('pool', -1), { message: 'parallelMinimum: argument 2 (elements) must be an integer from 0 to 9007199254740991, got the number -1' });
    assert.throws(() => addon.convThreads('omp' as never), { message: 'convThreads: mode must be chunks or gemm' });
    // Two threads on every loop against none: element-wise values are the same bits, sums within round-off.
    addon.threads(2);
    const n = 200_000;
    const x = Float32Array.from({ length: n }, (_, i) => Math.sin(i) * 3);
    const run = (minimum: number) => {
      for (const f of LOOP_FAMILIES) addon.parallelMinimum(f, minimum);
      const program = Int32Array.from([addon.opcodes.input, 0, 0, 0, 0, addon.opcodes.tanh, 1, 0, 0, 0]);
      const out = new Float32Array(n), sum = new Float32Array(1), pooled = new Float32Array(n / 4);
      addon.elementwise(program, new Float64Array(0), [x], Int32Array.of(1), Int32Array.of(0), Int32Array.of(n), out);
      addon.reduce('sum', x, 1, n, 1, sum);
      addon.maxPool2d(x, n / 400, 1, 20, 20, 2, 2, true, pooled);
      return { out, sum: sum[0], pooled };
    };
    const [split, whole] = [run(0), run(NEVER)];
    assert.deepEqual(split.out, whole.out);
    assert.deepEqual(split.pooled, whole.pooled);
    assert.ok(Math.abs(split.sum - whole.sum) <= 1e-3 * n ** 0.5, `${split.sum} vs ${whole.sum}`);
  } finally {
    applyThreads(addon, before);
    addon.threads(threads);
  }
});

test('the backend reports the thread sizes, the built-in ones under the test runner', (t) => {
  if (getBackend().name !== 'native') return t.skip('native backend not in use');
  const { native } = backendInfo();
  assert.ok(native);
  assert.equal(native.parallelSource, process.env.NABLA_PARALLEL ? 'NABLA_PARALLEL' : 'default');
  if (!process.env.NABLA_PARALLEL) assert.deepEqual(native.parallel, DEFAULT_THREADS);
});
