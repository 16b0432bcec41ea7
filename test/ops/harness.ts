// What the op-table runners share: the backend under test (NABLA_TEST_BACKEND), a seeded PRNG, drawing a
// row's shapes and input values, compiling a row, and comparing results with a tolerance.
import assert from 'node:assert/strict';
import * as nb from '../../src/index.js';
import type { Backend, BackendName, DType, NDArray, SharedVariable, Variable } from '../../src/index.js';
import { graphLeaves } from '../../src/graph/traverse.js';
import type { Domain, InputSpec, OpRow } from './op-table.js';
import type { Plain } from './plain.js';

/**
 * The backend the table runs on (also made current, so error cases that compile run there too); every
 * result is checked against float64 plain-loop references.
 */
export const backendName = process.env.NABLA_TEST_BACKEND ?? 'reference';
export const backend: Backend = nb.setBackend(backendName as BackendName);

/** mulberry32, seeded from a string: each row draws the same numbers on every run and every backend. */
export class Rng {
  private state: number;

  constructor(seed: string) {
    let h = 2166136261;
    for (let i = 0; i < seed.length; i++) h = Math.imul(h ^ seed.charCodeAt(i), 16777619);
    this.state = h >>> 0;
  }

  next(): number {
    let t = (this.state = (this.state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  uniform(lo: number, hi: number): number {
    return lo + (hi - lo) * this.next();
  }

  /** An integer in [lo, hi], both included. */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }

  pick<T>(values: readonly T[]): T {
    return values[this.int(0, values.length - 1)];
  }
}

/** `n` values from a domain. Kinks and ties stay at least 0.1 away, far beyond the gradient check's step. */
export function sampleValues(domain: Domain, n: number, rng: Rng): number[] {
  if (typeof domain === 'function') return Array.from({ length: n }, () => domain(rng));
  if (typeof domain === 'object') return Array.from({ length: n }, () => rng.int(domain.int[0], domain.int[1]));
  if (domain === 'distinct') {
    // A shuffled grid with spacing 0.25 and a little jitter: no two values within 0.2.
    const grid = Array.from({ length: n }, (_, k) => (k - n / 2) * 0.25 + rng.uniform(0, 0.05));
    for (let i = n - 1; i > 0; i--) {
      const j = rng.int(0, i);
      [grid[i], grid[j]] = [grid[j], grid[i]];
    }
    return grid;
  }
  const draw: Record<Exclude<Domain, object | 'distinct'>, () => number> = {
    real: () => rng.uniform(-2, 2),
    wide: () => rng.uniform(-8, 8),
    positive: () => rng.uniform(0.5, 2),
    unit: () => rng.uniform(0.05, 0.95),
    nonzero: () => rng.pick([-1, 1]) * rng.uniform(0.3, 2),
    offInteger: () => rng.int(-3, 2) + rng.uniform(0.2, 0.8),
    gridLow: () => rng.int(-3, 2) + rng.uniform(0.1, 0.3),
    gridHigh: () => rng.int(-3, 2) + rng.uniform(0.6, 0.8),
  };
  return Array.from({ length: n }, draw[domain]);
}

export const isInt = (spec: InputSpec) => typeof spec.domain === 'object';

/** One draw of a row's inputs: sizes, then values (floats rounded to float32, so both dtypes see the same inputs). */
export interface Sample {
  shapes: number[][];
  values: number[][];
}

export function sampleRow(row: OpRow, rng: Rng): Sample {
  const dims = new Map<string, number>();
  const size = (d: number | string) => {
    if (typeof d === 'number') return d;
    if (!dims.has(d)) {
      const [lo, hi] = row.dims?.[d] ?? [1, 4];
      dims.set(d, rng.int(lo, hi));
    }
    return dims.get(d)!;
  };
  const shapes = row.inputs.map((spec) => spec.shape.map(size));
  const values = row.inputs.map((spec, i) => {
    const n = shapes[i].reduce((a, b) => a * b, 1);
    const raw = sampleValues(spec.domain ?? 'real', n, rng);
    return isInt(spec) ? raw : raw.map(Math.fround);
  });
  return { shapes, values };
}

/** The special values every row also runs with: IEEE's NaN and both infinities. */
export const SPECIALS = [NaN, Infinity, -Infinity] as const;

/** The inputs that get special values: those a row names, else every float input. */
export function specialTargets(row: OpRow): number[] {
  if (row.specials === false) return [];
  return row.inputs.flatMap((spec, i) => ((row.specials ? row.specials.includes(spec.name) : !isInt(spec)) ? [i] : []));
}

/**
 * `s` with special values written over some entries of the target inputs: draw `k` puts SPECIALS[k]
 * at one random position of each (so a NaN, a +Inf and a -Inf each meet ordinary numbers alone),
 * and a draw past the list puts one of each at different positions where there is room.
 */
export function withSpecials(row: OpRow, s: Sample, k: number, rng: Rng): Sample {
  const values = s.values.map((v) => [...v]);
  for (const i of specialTargets(row)) {
    const v = values[i];
    if (v.length === 0) continue;
    const picks = k < SPECIALS.length ? [SPECIALS[k]] : rng.pick([[...SPECIALS], [...SPECIALS].reverse()]);
    const free = Array.from(v, (_, j) => j);
    for (const special of picks.slice(0, v.length)) v[free.splice(rng.int(0, free.length - 1), 1)[0]] = special;
  }
  return { shapes: s.shapes, values };
}

export const plainInputs = (s: Sample): Plain[] => s.shapes.map((shape, i) => ({ shape, data: s.values[i] }));

/** The static shape an input is declared with: every size when `known`, else only the 1s (which broadcast). */
export function staticShape(spec: InputSpec, shape: readonly number[]): (number | null)[] {
  return spec.known ? [...shape] : spec.shape.map((d) => (d === 1 ? 1 : null));
}

export function inputVariables(row: OpRow, float: DType, s: Sample): Variable[] {
  return row.inputs.map((spec, i) => nb.tensor(spec.name, isInt(spec) ? 'int32' : float, staticShape(spec, s.shapes[i])));
}

export function inputArrays(row: OpRow, float: DType, s: Sample): NDArray[] {
  return row.inputs.map((spec, i) => {
    const dtype = isInt(spec) ? 'int32' : float;
    return nb.array(dtype === 'float32' ? Float32Array.from(s.values[i]) : dtype === 'float64' ? Float64Array.from(s.values[i]) : Int32Array.from(s.values[i]), dtype, s.shapes[i]);
  });
}

/** A compiled function's result as a plain value with its dtype. */
export function toPlain(result: unknown, dtype: DType): Plain {
  if (typeof result === 'number') return { shape: [], data: [result], dtype };
  const a = result as NDArray;
  return { shape: [...a.shape], data: Array.from(a.data), dtype: a.dtype };
}

/** Compiles a row in `float` and runs it once on `s`. */
export function runRow(row: OpRow, float: DType, s: Sample, on: Backend = backend): Plain {
  const vars = inputVariables(row, float, s);
  const out = row.build(vars);
  const f = nb.fn(vars, out, { backend: on, name: row.name });
  return toPlain(f(...inputArrays(row, float, s)), out.dtype);
}

/**
 * Asserts `actual` matches `expected`: same shape and dtype, ints exactly, floats within
 * |a - e| <= tol * max(1, |e|) (relative for large values, absolute near zero); NaNs must match.
 */
export function assertClose(actual: Plain, expected: Plain, tol: number, what: string): void {
  assert.deepEqual(actual.shape, expected.shape, `${what}: shape`);
  assert.equal(actual.dtype, expected.dtype, `${what}: dtype`);
  const exact = expected.dtype === 'int32';
  let worst = { i: -1, err: 0 };
  expected.data.forEach((e, i) => {
    const a = actual.data[i];
    if (Number.isNaN(e) || Number.isNaN(a) || !Number.isFinite(e)) {
      if (!Object.is(a, e) && !(Number.isNaN(a) && Number.isNaN(e))) worst = { i, err: Infinity };
      return;
    }
    const err = exact ? (a === e ? 0 : Infinity) : Math.abs(a - e) / Math.max(1, Math.abs(e));
    if (err > worst.err) worst = { i, err };
  });
  if (worst.err > (exact ? 0 : tol)) {
    assert.fail(`${what}: element ${worst.i} is ${actual.data[worst.i]}, expected ${expected.data[worst.i]} (error ${worst.err.toExponential(2)} > ${tol})`);
  }
}

/**
 * A row's values on one draw: float64 on the backend under test against the row's plain reference (and
 * against the reference backend, when testing another), and float32 against that float64 result.
 */
export function checkRowValues(row: OpRow, s: Sample, where: string): void {
  const ref = row.ref(plainInputs(s));
  const f64 = runRow(row, 'float64', s);
  assertClose(f64, { ...ref, dtype: ref.dtype ?? 'float64' }, row.tol ?? 1e-12, `${where}, float64`);
  if (backend !== nb.referenceBackend) {
    assertClose(f64, runRow(row, 'float64', s, nb.referenceBackend), row.tol ?? 1e-12, `${where}, float64 vs the reference backend`);
  }
  const f32 = runRow(row, 'float32', s);
  assertClose(f32, { ...f64, dtype: ref.dtype ?? 'float32' }, row.tol32 ?? 1e-4, `${where}, float32 vs float64`);
}

/** Indices of the inputs a row differentiates: those it names, else every float input. */
export function gradTargets(row: OpRow): number[] {
  if (row.grad === false) return [];
  return row.inputs.flatMap((spec, i) => ((row.grad ? row.grad.includes(spec.name) : !isInt(spec)) ? [i] : []));
}

/** verify_grad's scalar: cost = sum(u * f(x)) for a random u of f's shape, and its gradients. */
export function gradGraph(
  row: OpRow, vars: readonly Variable[], out: Variable,
): { u: Variable; cost: Variable; grads: Variable[] } {
  const u = nb.tensor('u', 'float64', out.type.shape);
  const cost = nb.sum(nb.mul(u, out));
  return { u, cost, grads: nb.grad(cost, gradTargets(row).map((i) => vars[i])) };
}

/** Updates that hold random-stream counters still, so repeated calls draw the same numbers. */
export function frozenStreams(outputs: readonly Variable[]): [SharedVariable, Variable][] {
  return graphLeaves(outputs)
    .filter((v): v is SharedVariable => v instanceof nb.SharedVariable && v.defaultUpdate !== undefined)
    .map((v) => [v, v]);
}
