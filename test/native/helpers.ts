// Shared by the addon tests: the addon's typing and loader, a seeded generator, and a tolerance
// comparison that names the first element off.
import assert from 'node:assert/strict';
import { loadAddon, type AddonInfo, type GemmClass, type GemmKernel } from '../../src/backends/native/addon.js';
import type { Opcodes } from '../../src/backends/native/opcodes.js';

export type FloatArray = Float32Array | Float64Array;
export type AnyArray = FloatArray | Int32Array;
export type FloatCtor = Float32ArrayConstructor | Float64ArrayConstructor;

/** The addon's exports, as native/addon.cc defines them. */
export interface Native {
  gemm(transA: boolean, transB: boolean, M: number, N: number, K: number, alpha: number, A: FloatArray, lda: number,
    B: FloatArray, ldb: number, beta: number, C: FloatArray, ldc: number): void;
  elementwise(program: Int32Array, consts: Float64Array, inputs: AnyArray[], strides: Int32Array, offsets: Int32Array,
    outShape: Int32Array, out: AnyArray): void;
  elementwiseSum(program: Int32Array, consts: Float64Array, inputs: AnyArray[], strides: Int32Array,
    offsets: Int32Array, outShape: Int32Array, out: AnyArray): void;
  reduce(op: string, x: AnyArray, outer: number, n: number, inner: number, out: AnyArray): void;
  softmax(x: FloatArray, rows: number, cols: number, out: FloatArray): void;
  softmaxCrossentropy(z: FloatArray, y: Int32Array, rows: number, cols: number, loss: FloatArray): void;
  softmaxCrossentropyGrad(g: FloatArray, z: FloatArray, y: Int32Array, rows: number, cols: number,
    dz: FloatArray): void;
  logSoftmax(x: FloatArray, rows: number, cols: number, out: FloatArray): void;
  conv2d(x: FloatArray, B: number, C: number, H: number, W: number, w: FloatArray, K: number, kh: number, kw: number,
    mode: number, out: FloatArray): void;
  conv2dWeightGrad(x: FloatArray, B: number, C: number, H: number, W: number, gy: FloatArray, K: number, oh: number,
    ow: number, kh: number, kw: number, mode: number, gw: FloatArray): void;
  conv2dInputGrad(gy: FloatArray, B: number, C: number, H: number, W: number, w: FloatArray, K: number, oh: number,
    ow: number, kh: number, kw: number, mode: number, gx: FloatArray): void;
  maxPool2d(x: FloatArray, B: number, C: number, H: number, W: number, ph: number, pw: number, ignoreBorder: boolean,
    out: FloatArray): void;
  maxPool2dGrad(x: FloatArray, y: FloatArray, gy: FloatArray, B: number, C: number, H: number, W: number, ph: number,
    pw: number, ignoreBorder: boolean, gx: FloatArray): void;
  philoxUniform(seed: number, stream: number, counter: number, out: FloatArray): void;
  philoxBlock(c0: number, c1: number, c2: number, c3: number, k0: number, k1: number): number[];
  threads(n?: number): number;
  info(): AddonInfo;
  gemmKernel(shapeClass: GemmClass, kernel?: GemmKernel): GemmKernel;
  readonly opcodes: Opcodes;
}

/**
 * The built addon at the level the CPU and NABLA_SIMD allow, as the backend loads it; run
 * scripts/setup-native.sh (or npx node-gyp rebuild) first.
 */
export const native = nativeAddon();

function nativeAddon(): Native {
  const { addon, reason } = loadAddon();
  if (!addon) throw new Error(`the native addon is needed for these tests: ${reason}`);
  return addon as unknown as Native;
}

/** mulberry32: a small seeded generator so failures reproduce. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** n uniform draws from [lo, hi) in the given typed array class. */
export function randomArray<C extends new (n: number) => AnyArray>(Ctor: C, n: number, seed: number, lo = -1,
  hi = 1): InstanceType<C> {
  const next = rng(seed);
  const a = new Ctor(n) as InstanceType<C>;
  for (let i = 0; i < n; i++) a[i] = lo + (hi - lo) * next();
  return a;
}

/** Asserts |actual - expected| <= atol + rtol·|expected| elementwise, NaN matching NaN. */
export function assertClose(actual: ArrayLike<number>, expected: ArrayLike<number>, rtol: number, atol: number,
  what: string): void {
  assert.equal(actual.length, expected.length, `${what}: length`);
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i], e = expected[i];
    if (Number.isNaN(e) && Number.isNaN(a)) continue;
    if (a === e) continue;
    const ok = Math.abs(a - e) <= atol + rtol * Math.abs(e);
    if (!ok) assert.fail(`${what}: element ${i} is ${a}, expected ${e}`);
  }
}

export const dtypes: { name: string; Ctor: FloatCtor; rtol: number; atol: number }[] = [
  { name: 'float64', Ctor: Float64Array, rtol: 1e-12, atol: 1e-12 },
  { name: 'float32', Ctor: Float32Array, rtol: 1e-5, atol: 1e-5 },
];
