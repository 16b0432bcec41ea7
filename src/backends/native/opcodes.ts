// Element-wise opcodes of the native fused loop; the numbers mirror native/kernels/scalar-ops.h.
import type { ElementwiseName } from '../../ops/index.js';

export const INPUT = 0;
export const CONST = 1;
export const COPY = 27;
/** Round toward zero: what a cast from float to int32 does. */
export const TRUNC = 29;

export const OPCODES: Record<ElementwiseName, number> = {
  neg: 10, abs: 11, sign: 12, sqrt: 13, square: 14, exp: 15, log: 16, log1p: 17, tanh: 18, sigmoid: 19,
  softplus: 20, relu: 21, reciprocal: 22, expm1: 23, cos: 24, sin: 25, floor: 26, not: 28,
  add: 40, sub: 41, mul: 42, div: 43, pow: 44, maximum: 45, minimum: 46, lt: 47, gt: 48, le: 49, ge: 50,
  eq: 51, neq: 52, and: 53, or: 54, mod: 55,
  where: 70, clip: 71,
};

/** Registers available to one fused program. */
export const REGISTERS = 64;
