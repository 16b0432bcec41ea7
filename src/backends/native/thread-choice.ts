// How the native kernels use threads, chosen by measurement as the gemm kernels are (kernel-choice.ts):
// from how many elements each loop family (element-wise loops, reductions, pooling) splits its work across
// threads, and whether a convolution runs its chunks of images on separate threads or one at a time with
// OpenBLAS threading each gemm. Threads pay only in wall-clock time, so these are timed by the wall clock,
// all threads against one, alternating round by round; with one thread there is nothing to choose. The
// outcome is cached beside the gemm choice, NABLA_PARALLEL fixes it (tests run the built-in sizes and
// never measure), and checkpoints record it.
import { LOOP_FAMILIES, type ConvThreads, type LoopFamily, type NativeAddon } from './addon.js';
import { MARGIN, cachePath, filled, machineKey, median, readCache, writeCache } from './kernel-choice.js';
import { initialMeasuredChoice, keepMeasured } from './measured-choice.js';
import { encodeProgram } from './opcodes.js';

export type ThreadChoice = Record<LoopFamily, number> & { conv: ConvThreads };

/** The sizes the addon starts with (native/kernels/parallel.h), found on a 2-core Xeon. */
export const DEFAULT_THREADS: ThreadChoice = { elementwise: 32768, reduce: 65536, pool: 32768, conv: 'chunks' };

/** A size no loop reaches: the family never splits. */
export const NEVER = Number.MAX_SAFE_INTEGER;

/** The sizes (elements) each family is timed at. */
export const CALIBRATION_SIZES = [1 << 12, 1 << 14, 1 << 16, 1 << 18, 1 << 20] as const;

export type ThreadSource = 'NABLA_PARALLEL' | 'default' | 'one thread' | 'cache' | 'measured' | 'checkpoint';

/** Milliseconds per round at one size, on one thread and on all, one entry per timed round. */
export interface SizeTimes {
  size: number;
  one: number[];
  all: number[];
}

export interface ThreadCalibration {
  families: Record<LoopFamily, SizeTimes[]>;
  /** Ms per round of a convolution, chunks on separate threads against OpenBLAS's threads. */
  conv: Record<ConvThreads, number[]>;
}

/**
 * The smallest size from which all threads beat one by `margin`, at that size and at every larger one timed;
 * NEVER when they do not win even at the largest.
 */
export function chooseMinimum(times: readonly SizeTimes[], margin = MARGIN): number {
  let minimum = NEVER;
  for (const t of [...times].sort((a, b) => b.size - a.size)) {
    if (!(median(t.all) < (1 - margin) * median(t.one))) break;
    minimum = t.size;
  }
  return minimum;
}

/** OpenBLAS's threads for a convolution only when faster than chunks on separate threads by `margin`. */
export function chooseConv(times: Record<ConvThreads, number[]>, margin = MARGIN): ConvThreads {
  return median(times.gemm) < (1 - margin) * median(times.chunks) ? 'gemm' : 'chunks';
}

export function chooseThreads(times: ThreadCalibration, margin = MARGIN): ThreadChoice {
  const sizes = Object.fromEntries(LOOP_FAMILIES.map((f) => [f, chooseMinimum(times.families[f], margin)]));
  return { ...sizes, conv: chooseConv(times.conv, margin) } as ThreadChoice;
}

type ThreadAddon = Pick<NativeAddon, 'threads' | 'parallelMinimum' | 'convThreads' | 'elementwise' | 'reduce' | 'maxPool2d' | 'conv2d' | 'opcodes'>;

/** One call of each family's representative kernel on `size` elements: what the training steps run. */
function familyCall(addon: ThreadAddon, family: LoopFamily, size: number): () => void {
  const x = filled(size), out = new Float32Array(size);
  if (family === 'elementwise') {
    // tanh(a·b), a fused layer's activation.
    const program = encodeProgram([['input', 0, 0, 0, 0], ['input', 1, 1, 0, 0], ['mul', 2, 0, 1, 0], ['tanh', 3, 2, 0, 0]], addon.opcodes);
    const [strides, offsets, shape] = [Int32Array.of(1, 1), Int32Array.of(0, 0), Int32Array.of(size)];
    return () => addon.elementwise(program, new Float64Array(0), [x, x], strides, offsets, shape, out);
  }
  if (family === 'reduce') return () => addon.reduce('sum', x, 1, size, 1, out);
  // 2×2 max-pooling of 24×24 planes, LeNet's first.
  const planes = Math.max(1, Math.floor(size / 576));
  return () => addon.maxPool2d(x, planes, 1, 24, 24, 2, 2, true, out);
}

export interface ThreadCalibrationOptions {
  rounds?: number;
  minRoundMs?: number;
  /** The wall clock in ms (tests substitute their own). */
  now?: () => number;
}

/**
 * Times each family at each size and a convolution both ways, on all threads and on one, alternating, after
 * an untimed round each; undefined when the addon has one thread. Leaves the addon's settings as it found them.
 */
export function calibrateThreads(
  addon: ThreadAddon, { rounds = 5, minRoundMs = 5, now = () => performance.now() }: ThreadCalibrationOptions = {},
): ThreadCalibration | undefined {
  const most = addon.threads();
  if (most <= 1) return undefined;
  const before = currentThreads(addon);
  const timeRound = (call: () => void, repeats: number) => {
    const start = now();
    for (let r = 0; r < repeats; r++) call();
    return (now() - start) / repeats;
  };
  // Times `call` under two settings, alternating; each setting is applied before its rounds.
  const compare = <K extends string>(call: () => void, settings: Record<K, () => void>): Record<K, number[]> => {
    const keys = Object.keys(settings) as K[];
    const firsts = keys.map((k) => (settings[k](), timeRound(call, 1)));
    const repeats = Math.max(1, Math.ceil(minRoundMs / Math.max(...firsts, 1e-3)));
    const times = Object.fromEntries(keys.map((k) => [k, [] as number[]])) as Record<K, number[]>;
    for (let r = 0; r < rounds; r++) {
      for (const k of keys) {
        settings[k]();
        times[k].push(timeRound(call, repeats));
      }
    }
    return times;
  };
  try {
    const families = Object.fromEntries(LOOP_FAMILIES.map((family) => {
      addon.parallelMinimum(family, 0);
      const sizes = CALIBRATION_SIZES.map((size) => {
        const threads = { one: () => addon.threads(1), all: () => addon.threads(most) };
        const { one, all } = compare(familyCall(addon, family, size), threads);
        return { size, one, all };
      });
      return [family, sizes];
    })) as Record<LoopFamily, SizeTimes[]>;
    // LeNet's second convolution (20 → 50 channels, 5×5, 12×12 images) on 100 images: 15 chunks.
    const [B, C, H, K] = [100, 20, 12, 50];
    const x = filled(B * C * H * H), w = filled(K * C * 25), out = new Float32Array(B * K * 64);
    addon.threads(most);
    const conv = compare(() => addon.conv2d(x, B, C, H, H, w, K, 5, 5, 0, out), {
      chunks: () => addon.convThreads('chunks'), gemm: () => addon.convThreads('gemm'),
    });
    return { families, conv };
  } finally {
    applyThreads(addon, before);
    addon.threads(most);
  }
}

/** The addon's current sizes and convolution mode. */
export function currentThreads(addon: Pick<NativeAddon, 'parallelMinimum' | 'convThreads'>): ThreadChoice {
  const sizes = Object.fromEntries(LOOP_FAMILIES.map((f) => [f, addon.parallelMinimum(f)]));
  return { ...sizes, conv: addon.convThreads() } as ThreadChoice;
}

/** Sets every family's size and the convolution's mode in the addon. */
export function applyThreads(addon: Pick<NativeAddon, 'parallelMinimum' | 'convThreads'>, choice: ThreadChoice): void {
  for (const f of LOOP_FAMILIES) addon.parallelMinimum(f, choice[f]);
  addon.convThreads(choice.conv);
}

/** Checks a choice read from a file (cache or checkpoint); undefined when it is not one. */
export function asThreadChoice(value: unknown): ThreadChoice | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const record = value as Record<string, unknown>;
  const sizes = LOOP_FAMILIES.every((f) => Number.isSafeInteger(record[f]) && (record[f] as number) >= 0);
  if (!sizes || (record.conv !== 'chunks' && record.conv !== 'gemm')) return undefined;
  return { ...Object.fromEntries(LOOP_FAMILIES.map((f) => [f, record[f]])), conv: record.conv } as ThreadChoice;
}

/**
 * NABLA_PARALLEL's choice: `default` for the built-in sizes, or a list such as
 * `elementwise=65536,reduce=never,conv=gemm` (sizes in elements, `never` to stay on one thread; unnamed items keep
 * the default).
 */
export function parseThreadSetting(setting: string): ThreadChoice {
  const fail = (why: string) => new Error(`NABLA_PARALLEL: ${why} in '${setting}'; expected default or a list like elementwise=65536,reduce=never,pool=0,conv=chunks`);
  const choice: ThreadChoice = { ...DEFAULT_THREADS };
  if (setting.trim() === 'default') return choice;
  for (const item of setting.split(',')) {
    const [name, value, extra] = item.split('=').map((s) => s.trim());
    if (extra !== undefined || value === undefined) throw fail(`'${item}' is not name=value`);
    if (name === 'conv') {
      if (value !== 'chunks' && value !== 'gemm') throw fail(`conv must be chunks or gemm, not '${value}'`);
      choice.conv = value;
    } else if ((LOOP_FAMILIES as readonly string[]).includes(name)) {
      const size = value === 'never' ? NEVER : Number(value);
      if (!Number.isSafeInteger(size) || size < 0) throw fail(`'${value}' is not a number of elements or never`);
      choice[name as LoopFamily] = size;
    } else {
      throw fail(`unknown item '${name}'`);
    }
  }
  return choice;
}

/** Stores a thread calibration's outcome in this machine's cache entry, beside its gemm choice. */
export function storeThreads(path: string, key: string, times: ThreadCalibration, choice: ThreadChoice): void {
  const entries = readCache(path);
  const medians = {
    families: Object.fromEntries(LOOP_FAMILIES.map((f) => [
      f, times.families[f].map((t) => ({ size: t.size, one: median(t.one), all: median(t.all) })),
    ])),
    conv: { chunks: median(times.conv.chunks), gemm: median(times.conv.gemm) },
  };
  const entry = entries[key] ?? {};
  const threads = { choice, medians, measuredAt: new Date().toISOString() };
  entries[key] = { ...entry, threads } as typeof entries[string];
  writeCache(path, entries);
}

/** The cached thread choice for this machine, if any. */
export function cachedThreads(path: string, key: string): ThreadChoice | undefined {
  return asThreadChoice((readCache(path)[key]?.threads as { choice?: unknown } | undefined)?.choice);
}

type LoadAddon = ThreadAddon & Pick<NativeAddon, 'info'>;

/** Measures again, applies and stores the outcome; undefined times when there is one thread (nothing to choose). */
export function recalibrateThreads(
  addon: LoadAddon, path = cachePath(), options: ThreadCalibrationOptions = {},
): { times?: ThreadCalibration; choice: ThreadChoice; notStored?: string } {
  const times = calibrateThreads(addon, options);
  if (!times) return { choice: { ...DEFAULT_THREADS }, notStored: 'one thread: nothing to choose' };
  return keepMeasured(times, chooseThreads, (choice) => applyThreads(addon, choice),
    (measured, choice) => storeThreads(path, machineKey(addon), measured, choice));
}

/**
 * Sets the addon's thread sizes at load: NABLA_PARALLEL's when set; the built-in ones under the test runner
 * or with one thread; else this machine's cached choice, measuring it first when there is none (unless
 * `measure` is false).
 */
export function initialThreads(
  addon: LoadAddon,
  { env = process.env, measure = true, calibration = {} }: {
    env?: NodeJS.ProcessEnv; measure?: boolean; calibration?: ThreadCalibrationOptions;
  } = {},
): { choice: ThreadChoice; source: ThreadSource } {
  return initialMeasuredChoice({
    variable: 'NABLA_PARALLEL', parse: parseThreadSetting, builtIn: DEFAULT_THREADS,
    alone: () => (addon.threads() <= 1 ? 'one thread' as const : undefined),
    cached: (path) => cachedThreads(path, machineKey(addon)),
    remeasure: (path) => recalibrateThreads(addon, path, calibration),
    apply: (choice) => applyThreads(addon, choice),
    timing: `timing our kernels on one thread and on ${addon.threads()}`, name: 'thread',
  }, env, cachePath(env), measure);
}
