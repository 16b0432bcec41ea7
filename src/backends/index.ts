// The backends as Node has them: the core's choice of backend (choose.ts) with Node's environment, processor
// clock and native addon registered as the host's when this module is imported; the native backend's
// threads, machine report and gemm kernels.
import { registerHost } from './host.js';
import { getBackend, type BackendName } from './choose.js';
import { loadNativeBackend } from './native/index.js';
import { addonBuildHint, type SimdLevel } from './native/addon.js';
import {
  applyChoice, cachePath, recalibrate, type ChoiceSource, type GemmChoice,
} from './native/kernel-choice.js';
import { applyThreads, recalibrateThreads, type ThreadChoice, type ThreadSource } from './native/thread-choice.js';

export { getBackend, setBackend, type BackendName } from './choose.js';
export type { Allocate, Backend, Kernel, KernelTable } from './backend.js';
export { allocateFresh } from './backend.js';
export { referenceBackend } from './reference/index.js';
export { asGemmChoice, type GemmChoice } from './native/kernel-choice.js';
export { asThreadChoice, NEVER, type ThreadChoice } from './native/thread-choice.js';

registerHost({
  env: (name) => process.env[name],
  cpuSeconds: () => {
    const { user, system } = process.cpuUsage();
    return (user + system) / 1e6;
  },
  loadNative: () => ({ ...loadNativeBackend(), fix: addonBuildHint() }),
});

/**
 * Threads for the native kernels: a fixed count, or 'auto' (the default, unless OMP_NUM_THREADS is set)
 * to use the cores other processes leave free, re-checked about once a second. Returns the count in use.
 * @example nb.setThreads(1)
 */
export function setThreads(n: number | 'auto'): number {
  const { threads } = loadNativeBackend();
  threads?.set(n);
  return threads?.count ?? 1;
}

/** What `nb.backendInfo()` and `nabla info` report. */
export interface BackendInfo {
  /** The backend compiled functions run on now. */
  backend: BackendName;
  /** The native addon and the machine, when the addon loads; else why it does not. */
  native?: {
    /** The addon file loaded. */
    addon: string;
    cpuModel: string;
    cpuFeatures: string[];
    /** The SIMD path our kernels run: the widest the CPU has, unless NABLA_SIMD caps it. */
    simd: SimdLevel;
    supportedSimd: SimdLevel;
    blasCore: string;
    threads: number;
    /** Which kernel each gemm shape class runs, and where that choice came from. */
    gemm: GemmChoice;
    gemmSource: ChoiceSource;
    /** From how many elements each loop family takes several threads, how a convolution uses them, and why. */
    parallel: ThreadChoice;
    parallelSource: ThreadSource;
  };
  nativeUnavailable?: string;
  /** Without the addon: the command that builds it. */
  nativeBuild?: string;
}

/**
 * The backend in use, and for the native one the CPU's features, the SIMD path, OpenBLAS's kernels and
 * threads, and which kernel each gemm shape class uses.
 * @example nb.backendInfo().native?.gemm  // { narrow: 'ours', narrowT: 'blas', cache: 'blas', large: 'blas' }
 */
export function backendInfo(): BackendInfo {
  const backend = getBackend().name as BackendName;
  const { addon, addonPath, gemm, parallel, reason } = loadNativeBackend();
  if (!addon || !gemm || !parallel) return { backend, nativeUnavailable: reason, nativeBuild: addonBuildHint() };
  const info = addon.info();
  return {
    backend,
    native: {
      addon: addonPath ?? '', cpuModel: info.cpuModel, cpuFeatures: info.cpuFeatures, simd: info.simd, supportedSimd: info.supportedSimd,
      blasCore: info.blasCore, threads: info.threads, gemm: { ...gemm.choice }, gemmSource: gemm.source,
      parallel: { ...parallel.choice }, parallelSource: parallel.source,
    },
  };
}

/** The native gemm kernels in use (for a checkpoint to record), or undefined without the native backend. */
export function gemmKernels(): GemmChoice | undefined {
  const { gemm } = loadNativeBackend();
  return gemm ? { ...gemm.choice } : undefined;
}

/** Runs each gemm shape class on the given kernel from now on (a resumed run restores its checkpoint's). */
export function useGemmKernels(choice: GemmChoice, source: ChoiceSource = 'checkpoint'): void {
  const native = loadNativeBackend();
  if (!native.addon || !native.gemm) return;
  applyChoice(native.addon, choice);
  native.gemm = { choice: { ...choice }, source };
}

/**
 * Times OpenBLAS against our gemm kernels again on this machine, stores the outcome in the cache and uses
 * it (`nabla bench --calibrate`); undefined without the native backend.
 */
export function recalibrateGemm(): ReturnType<typeof recalibrate> & { cache: string } | undefined {
  const native = loadNativeBackend(false);
  if (!native.addon) return undefined;
  const cache = cachePath();
  const measured = recalibrate(native.addon, cache);
  native.gemm = { choice: measured.choice, source: 'measured' };
  return { ...measured, cache };
}

/** The native kernels' thread sizes in use (for a checkpoint to record), or undefined without the native backend. */
export function threadKernels(): ThreadChoice | undefined {
  const { parallel } = loadNativeBackend();
  return parallel ? { ...parallel.choice } : undefined;
}

/** Uses the given thread sizes from now on (a resumed run restores its checkpoint's). */
export function useThreadKernels(choice: ThreadChoice, source: ThreadSource = 'checkpoint'): void {
  const native = loadNativeBackend();
  if (!native.addon || !native.parallel) return;
  applyThreads(native.addon, choice);
  native.parallel = { choice: { ...choice }, source };
}

/**
 * Times the native kernels on one thread and on all again (`nabla bench --calibrate`), stores and uses the
 * outcome; undefined without the native backend.
 */
export function recalibrateParallel(): ReturnType<typeof recalibrateThreads> & { cache: string } | undefined {
  const native = loadNativeBackend(false);
  if (!native.addon) return undefined;
  const cache = cachePath();
  const measured = recalibrateThreads(native.addon, cache);
  if (measured.times) native.parallel = { choice: measured.choice, source: 'measured' };
  return { ...measured, cache };
}
