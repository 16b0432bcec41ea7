// The C++ addon's entry points (native/addon.cc) and how it is found: build/Release under the package root.
// binding.gyp builds it once per instruction-set level (nabla_native.node for any x86-64, then
// nabla_native_avx2.node and nabla_native_avx512.node); the baseline one is loaded first, says what the
// CPU supports, and the widest level the CPU has and NABLA_SIMD allows is the one used.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TypedArray } from '../../ndarray/index.js';
import { scalarOps } from '../../ops/index.js';
import { LOOP_OPCODES, missingOpcodes, type Opcodes } from './opcodes.js';

export type FloatArray = Float32Array | Float64Array;

/** The instruction-set levels the addon is built for, narrowest first. */
export const SIMD_LEVELS = ['baseline', 'avx2', 'avx512'] as const;
export type SimdLevel = (typeof SIMD_LEVELS)[number];

/** The gemm shape classes whose kernel is chosen by measurement (native/kernels/linalg/gemm.h). */
export const GEMM_CLASSES = ['narrow', 'narrowT', 'cache', 'large'] as const;
export type GemmClass = (typeof GEMM_CLASSES)[number];
export type GemmKernel = 'blas' | 'ours';

/** The loop families whose size for taking several threads is measured (native/kernels/parallel.h). */
export const LOOP_FAMILIES = ['elementwise', 'reduce', 'pool'] as const;
export type LoopFamily = (typeof LOOP_FAMILIES)[number];
export type ConvThreads = 'chunks' | 'gemm';

/** What the addon reports about itself and the machine. */
export interface AddonInfo {
  blasCore: string;
  threads: number;
  /** The level this copy of the addon was compiled for. */
  simd: SimdLevel;
  /** The widest level the CPU (and operating system) supports. */
  supportedSimd: SimdLevel;
  cpuModel: string;
  cpuFeatures: string[];
  /** When this copy of the addon was compiled. */
  built: string;
}

export interface NativeAddon {
  gemm(
    transA: boolean, transB: boolean, M: number, N: number, K: number, alpha: number,
    A: FloatArray, lda: number, B: FloatArray, ldb: number, beta: number, C: FloatArray, ldc: number,
  ): void;
  /** Eigenvalues ascending into w, unit eigenvectors as the columns of v, of symmetric n×n a (LAPACK ?syevd). */
  eigh(a: FloatArray, n: number, w: FloatArray, v: FloatArray): void;
  elementwise(
    program: Int32Array, consts: Float64Array, inputs: TypedArray[],
    strides: Int32Array, offsets: Int32Array, outShape: Int32Array, out: TypedArray,
  ): void;
  /** The same loop, writing the total of its results to out[0]. */
  elementwiseSum(
    program: Int32Array, consts: Float64Array, inputs: TypedArray[],
    strides: Int32Array, offsets: Int32Array, outShape: Int32Array, out: TypedArray,
  ): void;
  reduce(op: string, x: TypedArray, outer: number, n: number, inner: number, out: TypedArray): void;
  softmax(x: FloatArray, rows: number, cols: number, out: FloatArray): void;
  logSoftmax(x: FloatArray, rows: number, cols: number, out: FloatArray): void;
  softmaxCrossentropy(z: FloatArray, y: Int32Array, rows: number, cols: number, loss: FloatArray): void;
  softmaxCrossentropyGrad(
    g: FloatArray, z: FloatArray, y: Int32Array, rows: number, cols: number, dz: FloatArray,
  ): void;
  conv2d(
    x: FloatArray, B: number, C: number, H: number, W: number,
    w: FloatArray, K: number, kh: number, kw: number, mode: number, out: FloatArray,
  ): void;
  conv2dInputGrad(
    gy: FloatArray, B: number, C: number, H: number, W: number,
    w: FloatArray, K: number, oh: number, ow: number, kh: number, kw: number, mode: number, gx: FloatArray,
  ): void;
  conv2dWeightGrad(
    x: FloatArray, B: number, C: number, H: number, W: number,
    gy: FloatArray, K: number, oh: number, ow: number, kh: number, kw: number, mode: number, out: FloatArray,
  ): void;
  maxPool2d(
    x: FloatArray, B: number, C: number, H: number, W: number,
    ph: number, pw: number, ignoreBorder: boolean, out: FloatArray,
  ): void;
  maxPool2dGrad(
    x: FloatArray, y: FloatArray, gy: FloatArray, B: number, C: number, H: number, W: number,
    ph: number, pw: number, ignoreBorder: boolean, gx: FloatArray,
  ): void;
  philoxUniform(seed: number, stream: number, counter: number, out: FloatArray): void;
  threads(n?: number): number;
  info(): AddonInfo;
  /** Sets the kernel a gemm shape class runs when `kernel` is given; returns the class's kernel. */
  gemmKernel(shapeClass: GemmClass, kernel?: GemmKernel): GemmKernel;
  /** Sets the fewest elements from which a loop family's kernels take several threads when given; returns it. */
  parallelMinimum(family: LoopFamily, elements?: number): number;
  /** Sets how a convolution uses threads when given (chunks of images per thread, or OpenBLAS's); returns it. */
  convThreads(mode?: ConvThreads): ConvThreads;
  /** The element-wise loop's opcodes by name. */
  readonly opcodes: Opcodes;
}

/** The package root: the nearest folder above this file holding package.json (src/ or dist/src/ alike). */
export function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json')) && dirname(dir) !== dir) dir = dirname(dir);
  return dir;
}

/** Where the addon is: NABLA_NATIVE_ADDON, or build/Release under the package root. */
export function addonPath(): string {
  return process.env.NABLA_NATIVE_ADDON ?? join(packageRoot(), 'build', 'Release', 'nabla_native.node');
}

/**
 * The level to run: the CPU's widest, or narrower when NABLA_SIMD (baseline, avx2 or avx512) caps it, as
 * tests do to check the narrower paths on a machine that has the wider ones.
 */
export function simdLevel(supported: SimdLevel, cap = process.env.NABLA_SIMD): SimdLevel {
  if (cap === undefined || cap === '') return supported;
  const capped = SIMD_LEVELS.indexOf(cap as SimdLevel);
  if (capped < 0) throw new Error(`NABLA_SIMD must be one of ${SIMD_LEVELS.join(', ')}, got '${cap}'`);
  return SIMD_LEVELS[Math.min(capped, SIMD_LEVELS.indexOf(supported))];
}

/** The addon built for `level`, beside the baseline one at `path`. */
export function levelPath(path: string, level: SimdLevel): string {
  return level === 'baseline' ? path : path.replace(/(\.node)?$/, `_${level}.node`);
}

/**
 * The command that builds the addon, with what it needs: in a clone the set-up script's step (which installs
 * OpenBLAS and the compiler too), in an installed package npm's rebuild, which runs nabla's install script.
 */
export function addonBuildHint(): string {
  return existsSync(join(packageRoot(), 'src', 'index.ts'))
    ? `run "npm run build:native" in ${packageRoot()}`
    : 'run "npm rebuild nabla" in your project (it needs g++, make, python3 and libopenblas-openmp-dev)';
}

/** The addon and the file it was loaded from, or the reason it could not be loaded. */
export function loadAddon(): { addon?: NativeAddon; path?: string; reason?: string } {
  const path = addonPath();
  if (!existsSync(path)) return { reason: `${path} is not built` };
  try {
    simdLevel('avx512');
  } catch (e) {
    return { reason: (e as Error).message };
  }
  let loading = path;
  try {
    const load = (file: string) => {
      loading = file;
      return createRequire(import.meta.url)(file) as NativeAddon;
    };
    let addon = load(path);
    // An addon from before the levels were built reports no supportedSimd: it is the only one there is.
    const supported = addon.info?.().supportedSimd;
    if (supported) {
      // The widest level at or below the one wanted that was built (a partial build may lack some).
      const wanted = SIMD_LEVELS.indexOf(simdLevel(supported));
      const level = SIMD_LEVELS.slice(0, wanted + 1).reverse().find((l) => existsSync(levelPath(path, l)));
      if (level && level !== 'baseline') addon = load(levelPath(path, level));
    }
    const missing = missingOpcodes(addon.opcodes ?? {}, [...LOOP_OPCODES, ...Object.keys(scalarOps)]);
    if (missing.length) return { reason: `${loading} is older than the sources (no element-wise kernel for ${missing.join(', ')})` };
    if (typeof addon.gemmKernel !== 'function') return { reason: `${loading} is older than the sources (no gemmKernel)` };
    return { addon, path: loading };
  } catch (e) {
    return { reason: `${loading} failed to load: ${(e as Error).message.split('\n')[0]}` };
  }
}
