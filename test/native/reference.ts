// Plain float64 loops written from the definitions of the addon's functions: what each one
// computes, with no regard for speed. An opcode means what the reference backend's op of that name does.
import { scalarFunctions } from '../../src/backends/reference/elementwise.js';
import type { Instruction, OpcodeName } from '../../src/backends/native/opcodes.js';
import type { AnyArray } from './helpers.js';
import { saturateToInt32 } from '../../src/ndarray/index.js';

export const reductions = ['sum', 'prod', 'max', 'min', 'argmax', 'argmin'] as const;
export type Reduction = (typeof reductions)[number];
export const isArgReduction = (op: Reduction) => op === 'argmax' || op === 'argmin';

/** What an opcode computes: the reference backend's scalar function of the op, or the loop's own copy and trunc (a
 * float to int32 as the cast op does: saturating, NaN to 0). */
export function scalarMeaning(op: OpcodeName): (...args: number[]) => number {
  if (op === 'copy') return (x) => x;
  if (op === 'trunc') return saturateToInt32;
  if (op === 'input' || op === 'const') throw new Error(`${op} is a load, not an operation`);
  return scalarFunctions[op];
}

/** Runs a register program over explicit per-input strides, one element at a time, in float64. */
export function referenceElementwise(program: readonly Instruction[], consts: number[], inputs: AnyArray[],
  strides: number[], offsets: number[], shape: number[]): Float64Array {
  const rank = shape.length;
  const size = shape.reduce((a, b) => a * b, 1);
  const out = new Float64Array(size);
  const index = new Array<number>(rank).fill(0);
  const reg = new Float64Array(64);
  for (let e = 0; e < size; e++) {
    for (const [op, dst, a, b, c] of program) {
      if (op === 'input') {
        let p = offsets[a];
        for (let d = 0; d < rank; d++) p += index[d] * strides[a * rank + d];
        reg[dst] = inputs[a][p];
      } else if (op === 'const') reg[dst] = consts[a];
      else reg[dst] = scalarMeaning(op)(reg[a], reg[b], reg[c]);
    }
    out[e] = reg[program[program.length - 1][1]];
    for (let d = rank - 1; d >= 0 && ++index[d] === shape[d]; d--) index[d] = 0;
  }
  return out;
}

export function referenceReduce(
  op: Reduction, x: ArrayLike<number>, outer: number, n: number, inner: number,
): number[] {
  const out: number[] = [];
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const column = Array.from({ length: n }, (_, r) => x[(o * n + r) * inner + i]);
      const first = (f: (v: number) => boolean) => column.findIndex(f);
      const nan = first(Number.isNaN);
      out.push({
        sum: () => column.reduce((a, b) => a + b, 0),
        prod: () => column.reduce((a, b) => a * b, 1),
        max: () => Math.max(...column),
        min: () => Math.min(...column),
        argmax: () => (nan >= 0 ? nan : first((v) => v === Math.max(...column))),
        argmin: () => (nan >= 0 ? nan : first((v) => v === Math.min(...column))),
      }[op]());
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

export function referencePool(
  x: ArrayLike<number>, [B, C, H, W]: number[], ph: number, pw: number, ignoreBorder: boolean,
) {
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
