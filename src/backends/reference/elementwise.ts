// Element-wise kernels: one scalar function per op, and one broadcasting loop that runs them all.
import { allocate, broadcastShapes, broadcastStrides, NDArray, sameShape } from '../../ndarray/index.js';
import type { ElementwiseName, elementwiseOps } from '../../ops/index.js';
import type { Kernel, KernelsFor } from '../backend.js';
import { checkBroadcast, walk } from './strided.js';

const stableSigmoid = (x: number) => (x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x)));
const stableSoftplus = (x: number) => (x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x)));
const bool = (b: boolean) => (b ? 1 : 0);

/** IEEE 754's pow (C's std::pow, JAX): 1 ** y and (±1) ** ±Infinity are 1, where JavaScript's Math.pow gives NaN. */
export const ieeePow = (a: number, b: number) =>
  (a === 1 || (a === -1 && (b === Infinity || b === -Infinity)) ? 1 : Math.pow(a, b));

/** What each element-wise op computes, for one element. This table is the definition of the ops. */
export const scalarFunctions: Record<ElementwiseName, (...args: number[]) => number> = {
  neg: (x) => -x,
  abs: Math.abs,
  sign: (x) => (x > 0 ? 1 : x < 0 ? -1 : x),
  sqrt: Math.sqrt,
  square: (x) => x * x,
  exp: Math.exp,
  expm1: Math.expm1,
  log: Math.log,
  log1p: Math.log1p,
  tanh: Math.tanh,
  sigmoid: stableSigmoid,
  softplus: stableSoftplus,
  relu: (x) => (x <= 0 ? 0 : x), // NaN stays NaN, as max(x, 0) in C++ and NumPy
  softsign: (x) => x / (1 + Math.abs(x)),
  reciprocal: (x) => 1 / x,
  cos: Math.cos,
  sin: Math.sin,
  floor: Math.floor,
  not: (x) => bool(x === 0),
  add: (a, b) => a + b,
  sub: (a, b) => a - b,
  mul: (a, b) => a * b,
  div: (a, b) => a / b,
  pow: ieeePow,
  maximum: (a, b) => (a >= b || Number.isNaN(a) ? a : b),
  minimum: (a, b) => (a <= b || Number.isNaN(a) ? a : b),
  mod: (a, b) => {
    const r = a % b; // exact, unlike a - floor(a / b) * b
    return r !== 0 && r < 0 !== b < 0 ? r + b : r;
  },
  lt: (a, b) => bool(a < b),
  gt: (a, b) => bool(a > b),
  le: (a, b) => bool(a <= b),
  ge: (a, b) => bool(a >= b),
  eq: (a, b) => bool(a === b),
  neq: (a, b) => bool(a !== b),
  and: (a, b) => bool(a !== 0 && b !== 0),
  or: (a, b) => bool(a !== 0 || b !== 0),
  where: (c, a, b) => (c !== 0 ? a : b),
  clip: (x, lo, hi) => Math.min(Math.max(x, lo), hi),
};

/** A kernel applying `f` with broadcasting; the output dtype is the node's (an Int32Array store truncates). */
export function elementwiseKernel(f: (...args: number[]) => number): Kernel {
  return (inputs, _attrs, node) => {
    const dtype = node.outputs[0].type.dtype;
    const shape = broadcastShapes(...inputs.map((x) => x.shape));
    const out = allocate(dtype, inputs.length ? shape.reduce((a, b) => a * b, 1) : 1);
    const datas = inputs.map((x) => x.data);
    if (inputs.every((x) => sameShape(x.shape, shape))) {
      if (datas.length === 1) for (let i = 0; i < out.length; i++) out[i] = f(datas[0][i]);
      else if (datas.length === 2) for (let i = 0; i < out.length; i++) out[i] = f(datas[0][i], datas[1][i]);
      else for (let i = 0; i < out.length; i++) out[i] = f(...datas.map((d) => d[i]));
    } else {
      inputs.forEach((x, k) => checkBroadcast(node.op.name, node.op.inputs[k] ?? `input ${k}`, node.inputs[k].type, x.shape, shape));
      const strides = inputs.map((x) => broadcastStrides(x.shape, shape));
      walk(shape, strides, (i, offsets) => {
        out[i] = f(...datas.map((d, k) => d[offsets[k]]));
      });
    }
    return [new NDArray(dtype, shape, out)];
  };
}

const scalarKernels = Object.fromEntries(
  Object.entries(scalarFunctions).map(([name, f]) => [name, elementwiseKernel(f)]),
) as Record<ElementwiseName, Kernel>;

/** Element-wise kernels, by op: one per scalar function, and cast. */
export const elementwiseKernels: KernelsFor<typeof elementwiseOps> = {
  ...scalarKernels,
  cast: ([x], _attrs, node) => [x.astype(node.outputs[0].type.dtype)],
};
