// Plain float64 loops written from the definitions of the addon's functions: what each one
// computes, with no regard for speed. The opcode tables define each opcode with Math.*.
import type { AnyArray } from './helpers.js';

const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));
const floorMod = (a: number, b: number) => { const r = a % b; return r !== 0 && (r < 0) !== (b < 0) ? r + b : r; };
const truth = (p: boolean) => (p ? 1 : 0);

/** Each opcode's meaning from Math.*; the numbers are the contract with native/kernels/scalar-ops.h. */
export const unaryOps: Record<number, [string, (x: number) => number]> = {
  10: ['neg', (x) => -x], 11: ['abs', Math.abs], 12: ['sign', Math.sign], 13: ['sqrt', Math.sqrt],
  14: ['square', (x) => x * x], 15: ['exp', Math.exp], 16: ['log', Math.log], 17: ['log1p', Math.log1p],
  18: ['tanh', Math.tanh], 19: ['sigmoid', sigmoid], 20: ['softplus', (x) => (x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x)))],
  21: ['relu', (x) => Math.max(x, 0)], 22: ['reciprocal', (x) => 1 / x], 23: ['expm1', Math.expm1],
  24: ['cos', Math.cos], 25: ['sin', Math.sin], 26: ['floor', Math.floor], 27: ['copy', (x) => x],
  28: ['not', (x) => truth(x === 0)], 29: ['trunc', Math.trunc],
};
export const binaryOps: Record<number, [string, (a: number, b: number) => number]> = {
  40: ['add', (a, b) => a + b], 41: ['sub', (a, b) => a - b], 42: ['mul', (a, b) => a * b], 43: ['div', (a, b) => a / b],
  44: ['pow', Math.pow], 45: ['maximum', Math.max], 46: ['minimum', Math.min], 47: ['lt', (a, b) => truth(a < b)],
  48: ['gt', (a, b) => truth(a > b)], 49: ['le', (a, b) => truth(a <= b)], 50: ['ge', (a, b) => truth(a >= b)],
  51: ['eq', (a, b) => truth(a === b)], 52: ['neq', (a, b) => truth(a !== b)],
  53: ['and', (a, b) => truth(a !== 0 && b !== 0)], 54: ['or', (a, b) => truth(a !== 0 || b !== 0)], 55: ['mod', floorMod],
};
export const ternaryOps: Record<number, [string, (a: number, b: number, c: number) => number]> = {
  70: ['where', (a, b, c) => (a !== 0 ? b : c)], 71: ['clip', (a, b, c) => Math.min(Math.max(a, b), c)],
};

/** Runs a register program over explicit per-input strides, one element at a time, in float64. */
export function referenceElementwise(program: number[], consts: number[], inputs: AnyArray[], strides: number[],
  offsets: number[], shape: number[]): Float64Array {
  const rank = shape.length;
  const size = shape.reduce((a, b) => a * b, 1);
  const out = new Float64Array(size);
  const index = new Array<number>(rank).fill(0);
  const reg = new Float64Array(64);
  for (let e = 0; e < size; e++) {
    for (let k = 0; k < program.length; k += 5) {
      const [op, dst, a, b, c] = program.slice(k, k + 5);
      if (op === 0) {
        let p = offsets[a];
        for (let d = 0; d < rank; d++) p += index[d] * strides[a * rank + d];
        reg[dst] = inputs[a][p];
      } else if (op === 1) reg[dst] = consts[a];
      else if (op in unaryOps) reg[dst] = unaryOps[op][1](reg[a]);
      else if (op in binaryOps) reg[dst] = binaryOps[op][1](reg[a], reg[b]);
      else reg[dst] = ternaryOps[op][1](reg[a], reg[b], reg[c]);
    }
    out[e] = reg[program[program.length - 4]];
    for (let d = rank - 1; d >= 0 && ++index[d] === shape[d]; d--) index[d] = 0;
  }
  return out;
}

export function referenceReduce(op: number, x: ArrayLike<number>, outer: number, n: number, inner: number): number[] {
  const out: number[] = [];
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const column = Array.from({ length: n }, (_, r) => x[(o * n + r) * inner + i]);
      const first = (f: (v: number) => boolean) => column.findIndex(f);
      const m = [0, 0, Math.max(...column), Math.min(...column)][op];
      out.push([
        column.reduce((a, b) => a + b, 0), column.reduce((a, b) => a * b, 1), m, m,
        first(Number.isNaN) >= 0 ? first(Number.isNaN) : first((v) => v === Math.max(...column)),
        first(Number.isNaN) >= 0 ? first(Number.isNaN) : first((v) => v === Math.min(...column)),
      ][op]);
    }
  }
  return out;
}

/** The definition: out[b,k,i,j] = Σ x[b,c,i-pad+u', j-pad+v'] · w[k,c,kh-1-u',kw-1-v'] (true convolution). */
export function referenceConv(x: ArrayLike<number>, [B, C, H, W]: number[], w: ArrayLike<number>, [K, kh, kw]: number[],
  mode: number): { out: Float64Array; oh: number; ow: number } {
  const ph = mode === 1 ? kh - 1 : 0, pw = mode === 1 ? kw - 1 : 0;
  const oh = H + 2 * ph - kh + 1, ow = W + 2 * pw - kw + 1;
  const out = new Float64Array(B * K * oh * ow);
  for (let b = 0; b < B; b++) for (let k = 0; k < K; k++) for (let i = 0; i < oh; i++) for (let j = 0; j < ow; j++) {
    let s = 0;
    for (let c = 0; c < C; c++) for (let u = 0; u < kh; u++) for (let v = 0; v < kw; v++) {
      const y = i - ph + u, z = j - pw + v;
      if (y < 0 || y >= H || z < 0 || z >= W) continue;
      s += x[((b * C + c) * H + y) * W + z] * w[((k * C + c) * kh + (kh - 1 - u)) * kw + (kw - 1 - v)];
    }
    out[((b * K + k) * oh + i) * ow + j] = s;
  }
  return { out, oh, ow };
}

export function referencePool(x: ArrayLike<number>, [B, C, H, W]: number[], ph: number, pw: number, ignoreBorder: boolean) {
  const oh = ignoreBorder ? Math.floor(H / ph) : Math.ceil(H / ph);
  const ow = ignoreBorder ? Math.floor(W / pw) : Math.ceil(W / pw);
  const out = new Float64Array(B * C * oh * ow);
  for (let p = 0; p < B * C; p++) for (let i = 0; i < oh; i++) for (let j = 0; j < ow; j++) {
    let m = -Infinity;
    for (let u = i * ph; u < Math.min(H, (i + 1) * ph); u++) {
      for (let v = j * pw; v < Math.min(W, (j + 1) * pw); v++) m = Math.max(m, x[(p * H + u) * W + v]);
    }
    out[(p * oh + i) * ow + j] = m;
  }
  return { out, oh, ow };
}
