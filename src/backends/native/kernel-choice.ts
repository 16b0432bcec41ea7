// Which gemm kernel each shape class runs: OpenBLAS or ours, whichever is faster on this CPU. Which wins
// depends on the CPU and on the kernels OpenBLAS picked for it (ours beat its AVX2 kernels on narrow and
// cache-sized products, and lose to its AVX-512 ones on cache-sized products), so it is measured: once
// per machine, the first time the addon loads, and cached under the user's cache directory, keyed by
// what the outcome depends on. NABLA_GEMM fixes the choice instead (tests do; they never measure), and a
// resumed training run puts back the choice its checkpoint recorded, so it continues bit for bit.
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { availableParallelism, homedir } from 'node:os';
import { join } from 'node:path';
import { GEMM_CLASSES, type GemmClass, type GemmKernel, type NativeAddon } from './addon.js';
import { initialMeasuredChoice, keepMeasured } from './measured-choice.js';

export type GemmChoice = Record<GemmClass, GemmKernel>;

/** The addon's own starting choice, measured on an AVX2 OpenBLAS; what tests run. */
export const DEFAULT_GEMM: GemmChoice = { narrow: 'ours', narrowT: 'ours', cache: 'ours', large: 'blas' };

/** The same kernel for every class. */
export const everyClass = (kernel: GemmKernel): GemmChoice =>
  Object.fromEntries(GEMM_CLASSES.map((c) => [c, kernel])) as GemmChoice;

/**
 * Our kernel replaces OpenBLAS only when its median time is at least this much lower: a near tie is left
 * to OpenBLAS, so noise cannot flip the choice from one calibration to the next. Medians of five rounds
 * of CPU time on one thread vary by about 2% here (2-vCPU Xeon, shared with other work).
 */
export const MARGIN = 0.05;

/** Where a choice came from, for `nabla info`. */
export type ChoiceSource = 'NABLA_GEMM' | 'default' | 'cache' | 'measured' | 'checkpoint';

/** Milliseconds per round of a class's products, one entry per timed round, for each kernel. */
export interface ClassTimes {
  ours: number[];
  blas: number[];
}

export type Calibration = Record<GemmClass, ClassTimes>;

/** The products timed for each class (float32, [transA, transB, M, N, K]): the training steps' own. */
export const CALIBRATION_SHAPES: Record<GemmClass, readonly (readonly [boolean, boolean, number, number, number])[]> = {
  // Logistic regression's x·W (batch 600, 784 inputs, 10 classes), an MLP's output layer at batch 20; then
  // their weight gradients xᵀ·g.
  narrow: [[false, false, 600, 10, 784], [false, false, 20, 10, 500]],
  narrowT: [[true, false, 784, 10, 600], [true, false, 500, 10, 20]],
  // An MLP's hidden layer at batch 500 and 20 (x·W, g·Wᵀ, xᵀ·g), and n = 1024.
  cache: [
    [false, false, 500, 500, 784], [false, true, 500, 784, 500], [true, false, 784, 500, 500],
    [false, false, 20, 500, 784], [false, false, 1024, 1024, 1024],
  ],
  // A left operand of 9 MiB, beyond the caches.
  large: [[false, false, 2048, 512, 1152]],
};


export const median = (xs: readonly number[]) => {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
};

/** The faster kernel of each class: ours only when its median beats OpenBLAS's by `margin`. */
export function chooseKernels(times: Calibration, margin = MARGIN): GemmChoice {
  const choose = ({ ours, blas }: ClassTimes): GemmKernel => (median(ours) < (1 - margin) * median(blas) ? 'ours' : 'blas');
  return Object.fromEntries(GEMM_CLASSES.map((c) => [c, choose(times[c])])) as GemmChoice;
}

export interface CalibrationOptions {
  /** Timed rounds per kernel and class (the median is used). */
  rounds?: number;
  /** Each round repeats the class's products for at least this long. */
  minRoundMs?: number;
  /** The clock, in ms (tests substitute their own). */
  now?: () => number;
  /** Bytes of left operands each product cycles through: more than a core's caches hold. */
  coldBytes?: number;
}

/** The process's CPU time in ms: what one thread spent computing, whatever else the machine runs. */
export const cpuMs = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};

/**
 * Times each class's products on both kernels, the two alternating round by round so a change in the
 * machine's load falls on both, after one untimed round each. On one thread and by CPU time, so that
 * other processes on the machine (and threads waiting for a busy core) do not decide; both kernels split
 * the same way across threads. Leaves the addon's choice and thread count as it found them.
 */
export function calibrate(
  addon: Pick<NativeAddon, 'gemm' | 'gemmKernel' | 'threads'>,
  { rounds = 5, minRoundMs = 10, now = cpuMs, coldBytes = 16 << 20 }: CalibrationOptions = {},
): Calibration {
  const before = GEMM_CLASSES.map((c) => addon.gemmKernel(c));
  const threads = addon.threads();
  addon.threads(1);
  try {
    const entries = GEMM_CLASSES.map((shapeClass) => {
      const products = CALIBRATION_SHAPES[shapeClass].map(([transA, transB, M, N, K]) => {
        // A training step's left operand is usually a fresh minibatch, not in the caches: each call takes
        // the next of enough copies to overflow them. Not for narrowT: its A is the minibatch the forward
        // product x·W has just read, so a step finds it in the caches.
        const copies = shapeClass === 'narrowT' ? 1 : Math.max(1, Math.ceil(coldBytes / (M * K * 4)));
        const first = filled(M * K);
        const As = Array.from({ length: copies }, (_, i) => (i === 0 ? first : first.slice()));
        const B = filled(K * N), C = new Float32Array(M * N);
        const [lda, ldb] = [transA ? M : K, transB ? K : N];
        let next = 0;
        return () => addon.gemm(transA, transB, M, N, K, 1, As[next++ % copies], lda, B, ldb, 0, C, N);
      });
      const once = (kernel: GemmKernel) => {
        addon.gemmKernel(shapeClass, kernel);
        for (const product of products) product();
      };
      const round = (kernel: GemmKernel, repeats: number) => {
        const start = now();
        for (let r = 0; r < repeats; r++) once(kernel);
        return (now() - start) / repeats;
      };
      // Untimed first rounds (page faults, OpenBLAS's buffers), which also size the timed ones.
      const first = Math.max(round('blas', 1), round('ours', 1), 1e-3);
      const repeats = Math.max(1, Math.ceil(minRoundMs / first));
      const times: ClassTimes = { ours: [], blas: [] };
      for (let r = 0; r < rounds; r++) {
        times.blas.push(round('blas', repeats));
        times.ours.push(round('ours', repeats));
      }
      return [shapeClass, times] as const;
    });
    return Object.fromEntries(entries) as Calibration;
  } finally {
    GEMM_CLASSES.forEach((c, i) => addon.gemmKernel(c, before[i]));
    addon.threads(threads);
  }
}

export function filled(n: number): Float32Array {
  const a = new Float32Array(n);
  for (let i = 0; i < n; i++) a[i] = ((i * 7919) % 1000) / 1000 - 0.5;
  return a;
}

/**
 * NABLA_GEMM's choice: `blas` or `ours` for every class, `default` for the addon's own, or a list such as
 * `narrow=ours,cache=blas` (unnamed classes keep the default).
 */
export function parseGemmSetting(setting: string): GemmChoice {
  const fail = (why: string) => new Error(`NABLA_GEMM: ${why} in '${setting}'; expected blas, ours, default or a list like narrow=ours,narrowT=blas,cache=blas`);
  const trimmed = setting.trim();
  if (trimmed === 'default') return { ...DEFAULT_GEMM };
  if (trimmed === 'blas' || trimmed === 'ours') return everyClass(trimmed);
  const choice = { ...DEFAULT_GEMM };
  for (const item of trimmed.split(',')) {
    const [name, kernel, extra] = item.split('=').map((s) => s.trim());
    if (!(GEMM_CLASSES as readonly string[]).includes(name)) throw fail(`unknown shape class '${name}'`);
    if ((kernel !== 'blas' && kernel !== 'ours') || extra !== undefined) throw fail(`'${item}' does not name blas or ours`);
    choice[name as GemmClass] = kernel;
  }
  return choice;
}

/** Checks a choice read from a file (cache or checkpoint); undefined when it is not one. */
export function asGemmChoice(value: unknown): GemmChoice | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const record = value as Record<string, unknown>;
  const valid = GEMM_CLASSES.every((c) => record[c] === 'blas' || record[c] === 'ours');
  return valid ? Object.fromEntries(GEMM_CLASSES.map((c) => [c, record[c]])) as GemmChoice : undefined;
}

/** The calibration cache: $XDG_CACHE_HOME/nabla/kernels.json, or ~/.cache/nabla/kernels.json. */
export function cachePath(env: NodeJS.ProcessEnv = process.env): string {
  const base = env.XDG_CACHE_HOME || join(homedir(), '.cache');
  return join(base, 'nabla', 'kernels.json');
}

/**
 * What a calibration's outcome depends on: the CPU and its cores, OpenBLAS's kernels, our SIMD level and the
 * build of our kernels (a rebuilt addon is measured again).
 */
export function machineKey(addon: Pick<NativeAddon, 'info'>): string {
  const info = addon.info();
  return `${info.cpuModel} | ${availableParallelism()} cores | OpenBLAS ${info.blasCore} | ${info.simd} built ${info.built}`;
}

interface CacheEntry {
  gemm: GemmChoice;
  /** Median ms per round, per class and kernel. */
  medians: Record<GemmClass, Record<GemmKernel, number>>;
  measuredAt: string;
  /** thread-choice.ts's outcome, kept beside the gemm choice. */
  threads?: unknown;
}

export function readCache(path: string): Record<string, CacheEntry> {
  try {
    const parsed = JSON.parse(readFileSync(path, 'utf8')) as unknown;
    return typeof parsed === 'object' && parsed !== null ? parsed as Record<string, CacheEntry> : {};
  } catch {
    return {};
  }
}

/** The cached choice for this machine, if any. */
export function cachedChoice(path: string, key: string): GemmChoice | undefined {
  return asGemmChoice(readCache(path)[key]?.gemm);
}

/** Stores a calibration's outcome for this machine (other machines' entries are kept); written atomically. */
export function storeChoice(path: string, key: string, times: Calibration, choice: GemmChoice): void {
  const entries = readCache(path);
  const medians = Object.fromEntries(
    GEMM_CLASSES.map((c) => [c, { ours: median(times[c].ours), blas: median(times[c].blas) }]),
  );
  entries[key] = { ...entries[key], gemm: choice, medians: medians as CacheEntry['medians'], measuredAt: new Date().toISOString() };
  writeCache(path, entries);
}

/** Writes the cache's entries atomically. */
export function writeCache(path: string, entries: Record<string, CacheEntry>): void {
  mkdirSync(join(path, '..'), { recursive: true });
  const partial = `${path}.${process.pid}.tmp`;
  writeFileSync(partial, `${JSON.stringify(entries, null, 2)}\n`);
  renameSync(partial, path);
}

/** Sets every class's kernel in the addon. */
export function applyChoice(addon: Pick<NativeAddon, 'gemmKernel'>, choice: GemmChoice): void {
  for (const c of GEMM_CLASSES) addon.gemmKernel(c, choice[c]);
}

type GemmAddon = Pick<NativeAddon, 'gemm' | 'gemmKernel' | 'info' | 'threads'>;

/**
 * Measures again, applies the outcome and stores it in the cache; returns the times, the choice and why
 * it could not be stored, if it could not (an unwritable cache costs the cache, not the run).
 */
export function recalibrate(
  addon: GemmAddon, path = cachePath(), options: CalibrationOptions = {},
): { times: Calibration; choice: GemmChoice; notStored?: string } {
  return keepMeasured(calibrate(addon, options), chooseKernels, (choice) => applyChoice(addon, choice),
    (times, choice) => storeChoice(path, machineKey(addon), times, choice));
}

/**
 * Sets the addon's kernels at load: NABLA_GEMM's when set; the default under the test runner (which must
 * never measure); else this machine's cached choice, measuring it first when there is none (unless
 * `measure` is false, as when the caller is about to measure anyway).
 */
export function initialChoice(
  addon: GemmAddon,
  { env = process.env, measure = true, calibration = {} }: {
    env?: NodeJS.ProcessEnv; measure?: boolean; calibration?: CalibrationOptions;
  } = {},
): { choice: GemmChoice; source: ChoiceSource } {
  return initialMeasuredChoice({
    variable: 'NABLA_GEMM', parse: parseGemmSetting, builtIn: DEFAULT_GEMM,
    cached: (path) => cachedChoice(path, machineKey(addon)),
    remeasure: (path) => recalibrate(addon, path, calibration),
    apply: (choice) => applyChoice(addon, choice),
    timing: 'timing OpenBLAS against our gemm kernels on this CPU', name: 'gemm',
  }, env, cachePath(env), measure);
}
