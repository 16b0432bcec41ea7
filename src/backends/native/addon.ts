// The C++ addon's entry points (native/addon.cc) and how it is found: build/Release under the package root.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TypedArray } from '../../ndarray/index.js';
import { scalarOps } from '../../ops/index.js';
import { LOOP_OPCODES, missingOpcodes, type Opcodes } from './opcodes.js';

export type FloatArray = Float32Array | Float64Array;

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

/** The addon, or the reason it could not be loaded. */
export function loadAddon(): { addon?: NativeAddon; reason?: string } {
  const path = addonPath();
  if (!existsSync(path)) return { reason: `${path} is not built` };
  try {
    const addon = createRequire(import.meta.url)(path) as NativeAddon;
    const missing = missingOpcodes(addon.opcodes ?? {}, [...LOOP_OPCODES, ...Object.keys(scalarOps)]);
    if (missing.length) return { reason: `${path} is older than the sources (no element-wise kernel for ${missing.join(', ')})` };
    return { addon };
  } catch (e) {
    return { reason: `${path} failed to load: ${(e as Error).message.split('\n')[0]}` };
  }
}
