// The op table (longer than most files on purpose: one row per public op function, so one list shows
// what is covered). Each row gives a graph builder over symbolic inputs, the input shapes and domains,
// a plain-loop reference (plain.ts), tolerances, the inputs to differentiate and error cases with the
// message fragments they must produce. Runners: op-values, op-grads and op-errors .test.ts.
import * as nb from '../../src/index.js';
import type { Variable } from '../../src/index.js';
import { philoxUniform } from '../../src/random/philox.js';
import type { Rng } from './harness.js';
import * as P from './plain.js';
import type { Plain } from './plain.js';
import { scanRows } from './scan-rows.js';

/**
 * Where an input's values come from. Domains keep kinks and ties at least 0.1 away (far beyond the
 * finite-difference step), so every op is smooth around the sampled point.
 * real U(-2, 2) · wide U(-8, 8) · positive U(0.5, 2) (log, sqrt, pow's base) · unit U(0.05, 0.95)
 * (probabilities) · nonzero ±U(0.3, 2) (abs, relu, sign, reciprocal) · offInteger k + U(0.2, 0.8)
 * (floor, mod, cast to int) · distinct: spaced 0.25 apart (max, argmax, pooling) · gridLow k + U(0.1, 0.3)
 * and gridHigh k + U(0.6, 0.8): a gridLow value and a gridHigh value never tie (maximum, clip) ·
 * { int: [lo, hi] }: an int32 input in [lo, hi] · a function: a custom float draw.
 */
export type Domain =
  | 'real' | 'wide' | 'positive' | 'unit' | 'nonzero' | 'offInteger' | 'distinct' | 'gridLow' | 'gridHigh'
  | { readonly int: readonly [number, number] }
  | ((rng: Rng) => number);

export interface InputSpec {
  name: string;
  /** Sizes: a number is fixed (a 1 is declared broadcastable); a letter is drawn from the row's `dims` per run. */
  shape: readonly (number | string)[];
  /** Default 'real'; an { int } domain makes the input int32, else it has the float dtype under test. */
  domain?: Domain;
  /** Declare every size in the graph's type (conv2d needs its filters' size for their gradient). */
  known?: boolean;
}

export interface ErrorCase {
  what: string;
  /** Builds (or compiles and calls) what must throw. */
  throws: () => unknown;
  /** Fragments the message must contain, such as both operand types. */
  message: readonly string[];
}

export interface OpRow {
  name: string;
  /** The public function exercised (nb.<fn>, or the method of that name). */
  fn: string;
  inputs: readonly InputSpec[];
  /** Size ranges of the letters in the shapes (default [1, 4]). */
  dims?: Readonly<Record<string, readonly [number, number]>>;
  build: (inputs: Variable[]) => Variable;
  /** The expected value in float64; a `dtype` on the result pins the output dtype (default: the float under test). */
  ref: (inputs: Plain[]) => Plain;
  /** Float64 run vs reference (default 1e-12) and float32 vs float64 (default 1e-4): see assertClose. */
  tol?: number;
  tol32?: number;
  /** Inputs to differentiate by name (default every float input); false where a gradient check cannot work. */
  grad?: false | readonly string[];
  /** Inputs that also run with NaN and ±Inf entries (op-specials.test.ts), by name (default every float input). */
  specials?: false | readonly string[];
  errors?: readonly ErrorCase[];
}

type Shape = readonly (number | string)[];
const float = (name: string, shape: Shape, domain: Domain = 'real', known = false): InputSpec => ({ name, shape, domain, known });
const int = (name: string, shape: Shape, lo: number, hi: number): InputSpec =>
  ({ name, shape, domain: { int: [lo, hi] } });
const tensor = (dtype: nb.DType, shape: (number | null)[], name?: string) => nb.tensor(name, dtype, shape);
const fails = (what: string, throws: () => unknown, ...message: string[]): ErrorCase => ({ what, throws, message });
const bool = (b: boolean) => (b ? 1 : 0);

/** A row over one float input x, checked against `ref`. */
function over(
  name: string, fn: string, x: InputSpec,
  build: (x: Variable) => Variable, ref: (x: Plain) => Plain, more: Partial<OpRow> = {},
): OpRow {
  return { name, fn, inputs: [x], build: ([v]) => build(v), ref: ([p]) => ref(p), ...more };
}

/** A row over two inputs a and b. */
function pair(
  name: string, fn: string, a: InputSpec, b: InputSpec,
  build: (a: Variable, b: Variable) => Variable, ref: (a: Plain, b: Plain) => Plain, more: Partial<OpRow> = {},
): OpRow {
  return { name, fn, inputs: [a, b], build: ([u, v]) => build(u, v), ref: ([p, q]) => ref(p, q), ...more };
}

/** An element-wise unary op against its scalar function `f`. */
const unary = (fn: string, op: (x: Variable) => Variable, f: (v: number) => number, domain: Domain = 'real', shape: Shape = ['n', 'm'], more: Partial<OpRow> = {}): OpRow =>
  over(fn, fn, float('x', shape, domain), op, (x) => P.map(x, f), more);

/** An element-wise binary op against its scalar function `f`; int inputs give an int result. */
function binary(
  name: string, fn: string, op: (a: Variable, b: Variable) => Variable, f: (a: number, b: number) => number,
  a: InputSpec, b: InputSpec, more: Partial<OpRow> = {},
): OpRow {
  const isIntOut = typeof a.domain === 'object' && typeof b.domain === 'object';
  return pair(name, fn, a, b, op, (x, y) => P.zip(f, [x, y], isIntOut ? 'int32' : undefined), more);
}

const compare = (
  name: string, op: (a: Variable, b: Variable) => Variable, f: (a: number, b: number) => boolean,
): OpRow =>
  binary(name, name, op, (a, b) => bool(f(a, b)), int('a', ['n', 'm'], 0, 2), int('b', ['m'], 0, 2));

const sigmoid = (v: number) => 1 / (1 + Math.exp(-v));
const softplus = (v: number) => Math.max(v, 0) + Math.log1p(Math.exp(-Math.abs(v)));
/** Python's floored %; a finite a modulo ±Infinity is a when their signs agree, else ±Infinity (NumPy, JAX). */
function pythonMod(a: number, b: number): number {
  if (Number.isFinite(a) && (b === Infinity || b === -Infinity)) return a === 0 || a < 0 === b < 0 ? a : b;
  return a - b * Math.floor(a / b);
}
const crossEntropy = (p: number, t: number) => -(t * Math.log(p) + (1 - t) * Math.log(1 - p));
const populationVariance = (v: number[]) => P.total(v.map((a) => (a - P.total(v) / v.length) ** 2)) / v.length;
/** A float cast to int32 as JAX does: toward zero, saturating at the int32 range, NaN to 0. */
const castToInt32 = (v: number) =>
  (Number.isNaN(v) ? 0 : Math.min(2 ** 31 - 1, Math.max(-(2 ** 31), Math.trunc(v))));
/** A matrix with a NaN or an infinite entry has no eigen-decomposition: everything computed from it is NaN. */
const ifFinite = (a: Plain, f: (a: Plain) => Plain): Plain => {
  if (a.data.every(Number.isFinite)) return f(a);
  const like = f(P.map(a, () => 0));
  return { ...like, data: like.data.map(() => NaN) };
};
const extreme = (rng: Rng) => rng.pick([-1, 1]) * rng.uniform(50, 800);

/** Philox draws as the randomUniform kernel must lay them out: stream s of seed, call counter 0. */
function philox(seed: number, stream: number, like: Plain): Plain {
  const out = new Float64Array(like.data.length);
  philoxUniform(seed, stream, 0, out);
  return { shape: like.shape, data: Array.from(out) };
}

/** The labels' entries of each row: the reference for logp.at(arange(n), y). */
const pick = (p: Plain, y: Plain) => P.tabulate([y.shape[0]], ([i]) => P.get(p, [i, y.data[i]]));
const meanOf = (x: Plain) => P.total([...x.data]) / x.data.length;

const elementwiseRows: OpRow[] = [
  unary('neg', nb.neg, (v) => -v, 'real', [2, 'n', 'm']),
  unary('abs', nb.abs, Math.abs, 'nonzero'),
  unary('sign', nb.sign, Math.sign, 'nonzero', ['n']),
  unary('sqrt', nb.sqrt, Math.sqrt, 'positive'),
  unary('square', nb.square, (v) => v * v, 'real', []),
  unary('exp', nb.exp, Math.exp),
  unary('expm1', nb.expm1, Math.expm1, 'real', ['n']),
  unary('log', nb.log, Math.log, 'positive'),
  unary('log1p', nb.log1p, Math.log1p, (rng) => rng.uniform(-0.5, 2)),
  unary('tanh', nb.tanh, (v) => (Number.isFinite(v) ? (Math.exp(2 * v) - 1) / (Math.exp(2 * v) + 1) : Math.tanh(v)), 'real', [3, 'n']),
  unary('sigmoid', nb.sigmoid, sigmoid, 'wide'),
  unary('sigmoid', nb.sigmoid, sigmoid, extreme, ['n'], { name: 'sigmoid of ±800 stays in [0, 1]', grad: false }),
  unary('softplus', nb.softplus, softplus, 'wide'),
  unary('softsign', nb.softsign, (v) => v / (1 + Math.abs(v)), 'nonzero'),
  unary('softplus', nb.softplus, softplus, extreme, ['n'], { name: 'softplus of ±800 is finite', grad: false }),
  unary('relu', nb.relu, (v) => Math.max(v, 0), 'nonzero'),
  unary('reciprocal', nb.reciprocal, (v) => 1 / v, 'nonzero', [1, 'm']),
  unary('cos', nb.cos, Math.cos),
  unary('sin', nb.sin, Math.sin, 'real', ['n', 1]),
  unary('floor', nb.floor, Math.floor, 'offInteger'),
  { name: 'not', fn: 'not', inputs: [int('x', ['n', 'm'], 0, 2)], build: ([x]) => nb.not(x), ref: ([x]) => P.map(x, (v) => bool(v === 0), 'int32') },

  binary('add [n, m] + [m]', 'add', nb.add, (a, b) => a + b, float('a', ['n', 'm']), float('b', ['m'])),
  binary('add [n, 1] + [1, m]', 'add', nb.add, (a, b) => a + b, float('a', ['n', 1]), float('b', [1, 'm']), {
    errors: [
      fails(
        'elementwise add of [2, 3] and [4, 3]',
        () => nb.add(tensor('float32', [2, 3], 'a'), tensor('float32', [4, 3], 'b')),
        'add', 'a is float32[2, 3]', 'b is float32[4, 3]', 'axis 0 differs (2 vs 4)',
      ),
      fails(
        'stretching an axis of unknown size that is 1 at run time',
        () => { const [a, b] = [nb.vector('a'), nb.vector('b')]; nb.fn([a, b], a.add(b))([1], [1, 2, 3]); },
        'add: a is float32[?] and has shape [1] at run time', 'axis 0 is not declared broadcastable',
      ),
      fails(
        'calling with a wrong dtype',
        () => { const a = nb.vector('a'); nb.fn([a], a.add(1))(nb.array([1, 2], 'float64')); },
        'input 0 (a, float32[?])', "got a float64 array; convert it with .astype('float32')",
      ),
      fails('calling with a wrong rank', () => { const a = nb.matrix('a'); nb.fn([a], a.add(1))([1, 2]); }, 'input 0 (a, float32[?, ?])', 'got shape [2]'),
      fails(
        'calling with a wrong size',
        () => { const a = tensor('float32', [2, 3], 'a'); nb.fn([a], a.add(1))([[1, 2], [3, 4], [5, 6]]); },
        'input 0 (a, float32[2, 3])', 'got shape [3, 2]',
      ),
      fails(
        'calling with a missing argument',
        () => {
          const [a, b] = [nb.vector('a'), nb.vector('b')];
          // @ts-expect-error: the compiled function's type wants two arguments
          nb.fn([a, b], a.add(b))([1]);
        },
        'expected 2 arguments (a, b), got 1',
      ),
      fails('calling with a ragged array', () => { const a = nb.matrix('a'); nb.fn([a], a.add(1))([[1, 2], [3]]); }, 'input 0 (a, float32[?, ?])', 'ragged'),
      fails(
        'compiling without an input the output needs',
        () => { const [a, b] = [nb.vector('a'), nb.vector('b')]; nb.fn([a], a.add(b)); },
        'the outputs depend on b (float32[?])', 'not among the inputs [a]',
      ),
    ],
  }),
  binary('sub [2, n, m] - [n, 1]', 'sub', nb.sub, (a, b) => a - b, float('a', [2, 'n', 'm']), float('b', ['n', 1])),
  binary('mul [n, m] * []', 'mul', nb.mul, (a, b) => a * b, float('a', ['n', 'm']), float('b', [])),
  binary('mul of equal shapes', 'mul', nb.mul, (a, b) => a * b, float('a', ['n', 'm']), float('b', ['n', 'm'])),
  binary('div [n, m] / [1, m]', 'div', nb.div, (a, b) => a / b, float('a', ['n', 'm']), float('b', [1, 'm'], 'nonzero')),
  pair('div of ints is a float', 'div', int('a', ['n'], -5, 5), int('b', ['n'], 1, 3), nb.div, (a, b) => P.zip((x, y) => x / y, [a, b], 'float32'), { tol: 1e-6 }),
  binary('pow', 'pow', nb.pow, (a, b) => a ** b, float('a', ['n', 'm'], 'positive'), float('b', ['m'])),
  binary('maximum', 'maximum', nb.maximum, Math.max, float('a', ['n', 'm'], 'gridLow'), float('b', ['m'], 'gridHigh')),
  binary('minimum', 'minimum', nb.minimum, Math.min, float('a', ['n', 1], 'gridHigh'), float('b', [1, 'm'], 'gridLow')),
  binary('mod of floats', 'mod', nb.mod, pythonMod, float('a', ['n', 'm'], 'offInteger'), float('b', ['m'], (rng) => rng.int(2, 3))),
  binary('mod of ints (floored, as Python)', 'mod', nb.mod, pythonMod, int('a', ['n'], -7, 7), int('b', ['n'], 1, 3)),
  compare('lt', nb.lt, (a, b) => a < b),
  compare('gt', nb.gt, (a, b) => a > b),
  compare('le', nb.le, (a, b) => a <= b),
  compare('ge', nb.ge, (a, b) => a >= b),
  compare('eq', nb.eq, (a, b) => a === b),
  compare('neq', nb.neq, (a, b) => a !== b),
  compare('and', nb.and, (a, b) => a !== 0 && b !== 0),
  compare('or', nb.or, (a, b) => a !== 0 || b !== 0),
  pair('gt of floats', 'gt', float('a', ['n', 'm'], 'gridLow'), float('b', ['m'], 'gridHigh'), nb.gt, (a, b) => P.zip((x, y) => bool(x > y), [a, b], 'int32')),
  {
    name: 'where [n, 1] ? [n, m] : [m]',
    fn: 'where',
    inputs: [int('c', ['n', 1], 0, 1), float('a', ['n', 'm']), float('b', ['m'])],
    build: ([c, a, b]) => nb.where(c, a, b),
    ref: ([c, a, b]) => P.zip((k, x, y) => (k !== 0 ? x : y), [c, a, b]),
    errors: [
      fails('where with mismatched shapes', () => nb.where(tensor('int32', [2]), tensor('float32', [3]), 0), 'where', 'condition is int32[2]', 'a is float32[3]', 'axis 0 differs (2 vs 3)'),
    ],
  },
  {
    name: 'clip with tensor bounds',
    fn: 'clip',
    inputs: [float('x', ['n', 'm'], 'gridLow'), float('low', [1, 'm'], (rng) => -1 + rng.uniform(0.6, 0.8)), float('high', ['m'], (rng) => rng.uniform(0.6, 0.8))],
    build: ([x, lo, hi]) => nb.clip(x, lo, hi),
    ref: ([x, lo, hi]) => P.zip((v, l, h) => Math.min(Math.max(v, l), h), [x, lo, hi]),
  },
  unary('clip', (x) => x.clip(-0.5, 0.5), (v) => Math.min(Math.max(v, -0.5), 0.5), 'gridLow', ['n', 'm'], { name: 'clip to constants' }),
  unary('cast', (x) => nb.cast(x, 'int32'), Math.trunc, 'offInteger', ['n', 'm'], { name: 'cast to int32 truncates', ref: ([x]) => P.map(x, castToInt32, 'int32') }),
  { name: 'cast int32 to float64', fn: 'cast', inputs: [int('x', ['n'], -5, 5)], build: ([x]) => nb.cast(x, 'float64'), ref: ([x]) => P.withDType(x, 'float64') },
  // float32 output: finite differences of a float32 result cannot reach 1e-6 (cast's gradient is in test/grad).
  unary('cast', (x) => x.astype('float32'), Math.fround, 'real', ['n'], { name: 'astype float32', ref: ([x]) => P.map(x, Math.fround, 'float32'), grad: false }),
];

const reduceRows: OpRow[] = [
  over('sum of all', 'sum', float('x', [2, 'n', 'm']), (x) => nb.sum(x), (x) => P.reduce(x, null, false, P.total)),
  over('sum along axis 1', 'sum', float('x', [2, 'n', 'm']), (x) => x.sum(1), (x) => P.reduce(x, 1, false, P.total), {
    errors: [fails('sum along an axis out of range', () => nb.matrix('x').sum(2), 'sum: axis 2 is out of range for rank 2')],
  }),
  over('sum along [0, 2] keepdims', 'sum', float('x', [2, 'n', 'm']), (x) => x.sum([0, 2], true), (x) => P.reduce(x, [0, 2], true, P.total)),
  { name: 'sum of ints along -1', fn: 'sum', inputs: [int('x', ['n', 'm'], -9, 9)], build: ([x]) => x.sum(-1), ref: ([x]) => P.reduce(x, -1, false, P.total, 'int32') },
  over('prod along axis 1', 'prod', float('x', ['n', 'm'], 'nonzero'), (x) => x.prod(1), (x) => P.reduce(x, 1, false, (v) => v.reduce((a, b) => a * b, 1))),
  over('prod of all', 'prod', float('x', [1, 'm'], 'nonzero'), (x) => nb.prod(x), (x) => P.reduce(x, null, false, (v) => v.reduce((a, b) => a * b, 1))),
  over('max along axis 1', 'max', float('x', [2, 'n', 'm'], 'distinct'), (x) => x.max(1), (x) => P.reduce(x, 1, false, (v) => Math.max(...v))),
  over('max of all', 'max', float('x', ['n', 'm'], 'distinct'), (x) => nb.max(x), (x) => P.reduce(x, null, false, (v) => Math.max(...v))),
  over('min along [0, 1] keepdims', 'min', float('x', ['n', 'm', 2], 'distinct'), (x) => x.min([0, 1], true), (x) => P.reduce(x, [0, 1], true, (v) => Math.min(...v))),
  over('argmax along axis 1', 'argmax', float('x', ['n', 'm'], 'distinct'), (x) => x.argmax(1), (x) => P.reduce(x, 1, false, P.argBest((a, b) => a > b), 'int32')),
  over('argmax of all', 'argmax', float('x', [2, 'm'], 'distinct'), (x) => nb.argmax(x), (x) => P.reduce(x, null, false, P.argBest((a, b) => a > b), 'int32')),
  over('argmin along axis 0 keepdims', 'argmin', float('x', ['n', 'm'], 'distinct'), (x) => x.argmin(0, true), (x) => P.reduce(x, 0, true, P.argBest((a, b) => a < b), 'int32')),
  over('cumsum along axis 1', 'cumsum', float('x', [2, 'n', 'm']), (x) => nb.cumsum(x, 1), (x) => P.tabulate(x.shape, ([a, i, j]) => P.total(Array.from({ length: i + 1 }, (_, k) => P.get(x, [a, k, j]))))),
  over('cumsum of the flattened array', 'cumsum', float('x', ['n', 'm']), (x) => nb.cumsum(x), (x) => P.tabulate([x.data.length], ([i]) => P.total(x.data.slice(0, i + 1))), {
    errors: [fails('cumsum along an axis out of range', () => nb.cumsum(nb.matrix('x'), 2), 'cumsum: axis 2 is out of range for rank 2')],
  }),
  over('mean along axis 0', 'mean', float('x', ['n', 'm']), (x) => x.mean(0), (x) => P.reduce(x, 0, false, (v) => P.total(v) / v.length)),
  over('mean of all', 'mean', float('x', [2, 'n', 'm']), (x) => nb.mean(x), (x) => P.scalar(meanOf(x))),
  over('mean of ints is float32', 'mean', int('x', ['n', 'm'], -9, 9), (x) => x.mean(1), (x) => P.reduce(x, 1, false, (v) => P.total(v) / v.length, 'float32'), { tol: 1e-6 }),
  over('variance along axis 1', 'variance', float('x', ['n', 'm']), (x) => x.var(1), (x) => P.reduce(x, 1, false, populationVariance)),
  over('variance of all keepdims', 'variance', float('x', [2, 'n']), (x) => nb.variance(x, null, true), (x) => P.reduce(x, null, true, populationVariance)),
];

const shapeRows: OpRow[] = [
  over("dimshuffle inserting 'x' and dropping a broadcastable axis", 'dimshuffle', float('x', ['n', 1, 'm']), (x) => x.dimshuffle([2, 'x', 0]), (x) => P.dimshuffle(x, [2, 'x', 0]), {
    errors: [
      fails('dimshuffle dropping an axis that may not be 1', () => nb.matrix('x').dimshuffle([0]), 'dimshuffle: pattern [0] drops axis 1 of x (float32[?, ?])'),
      fails('dimshuffle repeating an axis', () => nb.matrix('x').dimshuffle([0, 0]), 'dimshuffle: pattern [0, 0] is not valid for x of type float32[?, ?]'),
    ],
  }),
  over('transpose by a permutation', 'transpose', float('x', [2, 'n', 'm']), (x) => x.transpose([1, 2, 0]), (x) => P.permute(x, [1, 2, 0])),
  over('transpose .T', 'transpose', float('x', ['n', 'm']), (x) => x.T, (x) => P.permute(x, [1, 0])),
  over('reshape with -1', 'reshape', float('x', [2, 'n', 3]), (x) => x.reshape([-1, 3]), (x) => P.reshape(x, [-1, 3]), {
    errors: [
      fails(
        'reshape to a different element count',
        () => tensor('float32', [2, 3], 'x').reshape([4, 2]),
        'reshape: x is float32[2, 3] (6 elements); cannot reshape to [4, 2] (8 elements)',
      ),
      fails(
        'reshape failing at run time',
        () => { const x = nb.matrix('x'); nb.fn([x], x.reshape([4, -1]))([[1, 2, 3], [4, 5, 6]]); },
        'reshape', '[2, 3]', '[4, -1]',
      ),
    ],
  }),
  over('reshape to symbolic sizes', 'reshape', float('x', ['n', 'm', 2]), (x) => x.reshape([x.shape.at(0), -1]), (x) => P.reshape(x, [x.shape[0], -1])),
  { name: 'reshape of a known shape', fn: 'reshape', inputs: [float('x', [2, 3, 2], 'real', true)], build: ([x]) => x.reshape([3, -1]), ref: ([x]) => P.reshape(x, [3, 4]) },
  over('flatten to 2 axes', 'flatten', float('x', [2, 'n', 'm']), (x) => x.flatten(2), (x) => P.reshape(x, [2, -1]), {
    errors: [fails('flatten to more axes than x has', () => nb.matrix('x').flatten(3), 'flatten: ndim 3 is out of range for x of type float32[?, ?]')],
  }),
  over('flatten to a vector', 'flatten', float('x', ['n', 1, 'm']), (x) => nb.flatten(x), (x) => P.reshape(x, [-1])),
  over('shape', 'shape', float('x', [2, 'n', 'm']), (x) => x.shape, (x) => ({ shape: [3], data: [...x.shape], dtype: 'int32' })),
  {
    name: 'broadcastLike [1, m] to [n, m]',
    fn: 'broadcastLike',
    inputs: [float('x', [1, 'm']), float('template', ['n', 'm'])],
    build: ([x, t]) => nb.broadcastLike(x, t),
    ref: ([x, t]) => P.zip((v) => v, [x, t]),
  },
  {
    name: 'makeVector of scalars',
    fn: 'makeVector',
    inputs: [float('a', ['n']), float('b', ['m'], 'distinct')],
    build: ([a, b]) => nb.makeVector([a.sum(), b.max(), 2]),
    ref: ([a, b]) => ({ shape: [3], data: [P.total([...a.data]), Math.max(...b.data), 2] }),
    errors: [fails('makeVector of a vector', () => nb.makeVector([nb.scalar('s'), nb.vector('v')]), 'makeVector: element 1 is float32[?], not a scalar')],
  },
  over('arange of a symbolic size', 'arange', float('x', ['n']), (x) => x.mul(nb.arange(x.shape.at(0))), (x) => P.tabulate(x.shape, ([i]) => x.data[i] * i), {
    errors: [fails('arange of a float', () => nb.arange(nb.scalar('n')), 'arange: n is float32[]; it must be an int32 scalar')],
  }),
  { name: 'arange of an int input', fn: 'arange', inputs: [int('n', [], 0, 5)], build: ([n]) => nb.arange(n), ref: ([n]) => P.tabulate([n.data[0]], ([i]) => i, 'int32') },
  {
    name: 'concatenate along axis 1',
    fn: 'concatenate',
    inputs: [float('a', ['n', 2]), float('b', ['n', 3])],
    build: ([a, b]) => nb.concatenate([a, b], 1),
    ref: ([a, b]) => P.concatenate([a, b], 1),
    errors: [
      fails(
        'concatenate of different ranks',
        () => nb.concatenate([nb.matrix('a'), nb.vector('b')]),
        'concatenate', 'tensors[0] is float32[?, ?]', 'tensors[1] is float32[?]', 'ranks differ',
      ),
      fails(
        'concatenate of different sizes off the axis',
        () => nb.concatenate([tensor('float32', [2, 3]), tensor('float32', [2, 4])]),
        'concatenate', 'float32[2, 3]', 'float32[2, 4]', 'axis 1 differs',
      ),
    ],
  },
  {
    // The last part is unused: its gradient is zeros.
    name: 'split along axis 1, one part unused',
    fn: 'split',
    inputs: [float('x', ['n', 5])],
    build: ([x]) => {
      const [a, b] = nb.split(x, [1, 3, 1], 1);
      return a.mul(2).sum(1).add(b.square().sum(1));
    },
    ref: ([x]) => P.tabulate([x.shape[0]], ([i]) =>
      2 * P.get(x, [i, 0]) + [1, 2, 3].reduce((t, j) => t + P.get(x, [i, j]) ** 2, 0)),
    errors: [
      fails('split into parts that do not fill the axis', () => nb.split(tensor('float32', [2, 5]), [2, 2], 1), 'split: parts of sizes [2, 2] add up to 4, but axis 1 of x (float32[2, 5]) has 5'),
    ],
  },
  {
    name: 'concatenate three along axis 0',
    fn: 'concatenate',
    inputs: [float('a', [1, 'm']), float('b', ['p', 'm']), float('c', [2, 'm'])],
    build: ([a, b, c]) => nb.concatenate([a, b, c]),
    ref: ([a, b, c]) => P.concatenate([a, b, c], 0),
  },
  {
    name: 'concatenate int and float',
    fn: 'concatenate',
    inputs: [int('a', ['n'], -3, 3), float('b', ['m'])],
    build: ([a, b]) => nb.concatenate([a, b]),
    ref: ([a, b]) => P.concatenate([a, b], 0),
  },
  {
    name: 'stack along axis 1',
    fn: 'stack',
    inputs: [float('a', ['n', 'm']), float('b', ['n', 'm'])],
    build: ([a, b]) => nb.stack([a, b], 1),
    ref: ([a, b]) => P.tabulate([a.shape[0], 2, a.shape[1]], ([i, k, j]) => P.get(k === 0 ? a : b, [i, j])),
    errors: [fails('stack of nothing', () => nb.stack([]), 'stack: no tensors given')],
  },
];

const linalgRows: OpRow[] = [
  pair('dot matrix · matrix', 'dot', float('a', ['n', 'k']), float('b', ['k', 'm']), nb.dot, (a, b) => P.dot(a, b), {
    errors: [
      fails(
        'dot with inner sizes 784 vs 785',
        () => tensor('float32', [20, 784], 'x').dot(tensor('float32', [785, 10], 'W')),
        'dot', 'a is float32[20, 784]', 'b is float32[785, 10]', 'inner dimensions differ (784 vs 785)',
      ),
      fails('dot of ints', () => nb.dot(nb.imatrix('a'), nb.matrix('b')), 'dot', 'a is int32[?, ?]', 'dot needs float operands'),
      fails('dot of a tensor3', () => nb.dot(nb.tensor3('a'), nb.matrix('b')), 'dot', 'a is float32[?, ?, ?]', 'dot takes vectors and matrices'),
    ],
  }),
  pair('dot matrix · vector', 'dot', float('a', ['n', 'k']), float('b', ['k']), nb.dot, (a, b) => P.dot(a, b)),
  pair('dot vector · matrix', 'dot', float('a', ['k']), float('b', ['k', 'm']), nb.dot, (a, b) => P.dot(a, b)),
  pair('dot vector · vector', 'dot', float('a', ['k']), float('b', ['k']), nb.dot, (a, b) => P.dot(a, b)),
  pair('dot of transposes (absorbed into the product)', 'dot', float('a', ['k', 'n']), float('b', ['m', 'k']), (a, b) => a.T.dot(b.T), (a, b) =>
    P.dot(P.permute(a, [1, 0]), P.permute(b, [1, 0])),
  ),
  {
    name: 'gemm: beta·c + alpha·a·b',
    fn: 'gemm',
    inputs: [float('c', ['n', 'm']), float('alpha', []), float('a', ['n', 'k']), float('b', ['k', 'm']), float('beta', [])],
    build: ([c, alpha, a, b, beta]) => nb.gemm(c, alpha, a, b, beta),
    ref: ([c, alpha, a, b, beta]) => {
      const product = P.dot(a, b);
      return P.tabulate(c.shape, (i) => beta.data[0] * P.get(c, i) + alpha.data[0] * P.get(product, i));
    },
    errors: [
      fails('gemm with a product of another shape', () => nb.gemm(tensor('float32', [3, 4], 'c'), 1, tensor('float32', [3, 2], 'a'), tensor('float32', [2, 5], 'b'), 1), 'gemm', 'c is float32[3, 4]', "the product is [3, 5], not c's shape"),
      fails('gemm of vectors', () => nb.gemm(nb.matrix('c'), 1, nb.vector('a'), nb.matrix('b'), 1), 'gemm', 'a is float32[?]', 'c, a and b must be matrices'),
    ],
  },
  {
    // A 2×2 symmetric matrix whose diagonal is pulled 6 apart, so its eigenvalues stay at least 2 apart.
    name: 'eigh: eigenvalues of a 2×2 symmetric matrix, against the closed form',
    fn: 'eigh',
    inputs: [float('a', [2, 2])],
    build: ([a]) => nb.eigh(a.add(a.T).mul(0.5).add(nb.array([[0, 0], [0, 6]])))[0],
    ref: ([m]) => ifFinite(m, (a) => {
      const [p, q, b] = [a.data[0], a.data[3] + 6, (a.data[1] + a.data[2]) / 2];
      const [middle, radius] = [(p + q) / 2, Math.hypot((p - q) / 2, b)];
      return { shape: [2], data: [middle - radius, middle + radius] };
    }),
    errors: [
      fails('eigh of a non-square matrix', () => nb.eigh(tensor('float64', [3, 4], 'c')), 'eigh', 'a is float64[3, 4]', 'the matrix is not square (3 vs 4)'),
      fails('eigh of a vector', () => nb.eigh(nb.vector('v')), 'eigh', 'a is float32[?]', 'eigh takes a square matrix'),
      fails('eigh of ints', () => nb.eigh(nb.imatrix('m')), 'eigh', 'a is int32[?, ?]', 'eigh needs a float matrix'),
    ],
  },
  {
    // V·diag(w)·Vᵀ is the matrix again whatever the eigenvectors' signs; its gradient runs through both outputs.
    name: 'eigh: the eigenvectors and eigenvalues rebuild the matrix',
    fn: 'eigh',
    inputs: [float('a', ['n', 'n'])],
    build: ([a]) => {
      const [w, v] = nb.eigh(a.add(a.T).mul(0.5));
      return v.mul(w).dot(v.T);
    },
    ref: ([m]) => ifFinite(m, (a) => P.tabulate(a.shape, ([i, j]) => (P.get(a, [i, j]) + P.get(a, [j, i])) / 2)),
    tol: 1e-10,
  },
  binary('outer', 'outer', nb.outer, (a, b) => a * b, float('a', ['n']), float('b', ['m']), {
    ref: ([a, b]) => P.tabulate([a.shape[0], b.shape[0]], ([i, j]) => a.data[i] * b.data[j]),
    errors: [fails('outer of a matrix', () => nb.outer(nb.matrix('a'), nb.vector('b')), 'outer', 'a is float32[?, ?]', 'outer takes two vectors')],
  }),
];

const indexingRows: OpRow[] = [
  over('at a negative index and a slice', 'at', float('x', [4, 'm']), (x) => x.at(-1, nb.slice(1, null)), (x) => P.basicIndex(x, [-1, P.sliceIndices(x.shape[1], 1, null, null)]), {
    dims: { m: [2, 4] },
    errors: [
      fails('at with more indices than axes', () => nb.matrix('x').at(0, 0, 0), 'subtensor: 3 indices for x of type float32[?, ?]'),
      fails(
        'at an index out of a known range',
        () => tensor('float32', [3, 4], 'x').at(5),
        'subtensor: index 5 is out of range for axis 0 of x (float32[3, 4])',
      ),
      fails('at a float symbolic index', () => nb.vector('x').at(nb.scalar('i')), 'at: index i is float32[]; symbolic indices must be int32 scalars'),
      fails(
        'at an index out of range at run time',
        () => { const [x, i] = [nb.matrix('x'), nb.iscalar('i')]; nb.fn([x, i], x.at(i))([[1, 2], [3, 4], [5, 6]], 7); },
        'index 7 is out of range for axis 0',
      ),
    ],
  }),
  over('at negative steps', 'at', float('x', ['n', 'm']), (x) => x.at(nb.slice(null, null, -1), nb.slice(-1, 0, -2)), (x) =>
    P.basicIndex(x, [P.sliceIndices(x.shape[0], null, null, -1), P.sliceIndices(x.shape[1], -1, 0, -2)]), {
    dims: { n: [1, 4], m: [1, 6] },
  }),
  {
    name: 'at symbolic start and stop',
    fn: 'at',
    inputs: [float('x', ['n', 'm']), int('i', [], -1, 1), int('j', [], -1, 4)],
    dims: { n: [1, 5] },
    build: ([x, i, j]) => x.at(nb.slice(i, j)),
    ref: ([x, i, j]) => P.basicIndex(x, [P.sliceIndices(x.shape[0], i.data[0], j.data[0], null)]),
  },
  {
    name: 'at a symbolic index and a symbolic negative step',
    fn: 'at',
    inputs: [float('x', ['n', 'm']), int('i', [], -2, 1), int('s', [], -2, -1)],
    dims: { n: [2, 4] },
    build: ([x, i, s]) => x.at(i, nb.slice(null, null, s)),
    ref: ([x, i, s]) => P.basicIndex(x, [i.data[0], P.sliceIndices(x.shape[1], null, null, s.data[0])]),
  },
  {
    name: 'at(arange(n), y) picks one entry per row',
    fn: 'at',
    inputs: [float('x', ['n', 4]), int('y', ['n'], 0, 3)],
    build: ([x, y]) => x.at(nb.arange(x.shape.at(0)), y),
    ref: ([x, y]) => pick(x, y),
    errors: [
      fails('at a float index array', () => nb.matrix('x').at(nb.vector('i')), 'advancedSubtensor: index 0 is float32[?]; indices must be int32'),
      fails('at an index array followed by an integer', () => nb.matrix('x').at(nb.ivector('i'), 0), 'at: int-array indices must come first'),
      fails(
        'at an index array out of range at run time',
        () => { const [x, i] = [nb.matrix('x'), nb.ivector('i')]; nb.fn([x, i], x.at(i))([[1, 2]], [0, 3]); },
        'index 3 is out of range for axis 0',
      ),
    ],
  },
  {
    name: 'at an int matrix with negatives and repeats',
    fn: 'at',
    inputs: [float('x', [4, 'm']), int('i', [2, 3], -4, 3)],
    build: ([x, i]) => x.at(i),
    ref: ([x, i]) => P.advancedIndex(x, [i]),
  },
  {
    name: 'at index arrays that broadcast together',
    fn: 'at',
    inputs: [float('x', [3, 4, 'm']), int('i', ['p', 1], 0, 2), int('j', [1, 'q'], 0, 3)],
    build: ([x, i, j]) => x.at(i, j, ':'),
    ref: ([x, i, j]) => P.advancedIndex(x, [i, j]),
  },
  over('at a literal index array', 'at', float('x', [4, 'm']), (x) => x.at([2, 0, 2]), (x) => P.advancedIndex(x, [{ shape: [3], data: [2, 0, 2] }])),
  {
    name: 'take along axis 1',
    fn: 'take',
    inputs: [float('x', [3, 4, 'm']), int('i', ['p'], 0, 3)],
    build: ([x, i]) => x.take(i, 1),
    ref: ([x, i]) => P.tabulate([3, i.shape[0], x.shape[2]], ([a, b, c]) => P.get(x, [a, i.data[b], c])),
  },
  {
    name: 'take rows (an embedding lookup)',
    fn: 'take',
    inputs: [float('W', [5, 'm']), int('i', ['n', 'p'], 0, 4)],
    build: ([W, i]) => nb.take(W, i),
    ref: ([W, i]) => P.advancedIndex(W, [i]),
  },
  {
    name: 'incSubtensor adding into a slice',
    fn: 'incSubtensor',
    inputs: [float('x', [5, 'm']), float('y', [2, 'm'])],
    build: ([x, y]) => nb.incSubtensor(x, [nb.slice(1, 3)], y),
    ref: ([x, y]) => P.basicIncrement(x, [[1, 2]], y, false),
    errors: [
      fails(
        'incSubtensor with y of more axes than the region',
        () => nb.incSubtensor(nb.matrix('x'), [0], nb.matrix('y')),
        'incSubtensor', 'region is float32[?]', 'y is float32[?, ?]', 'y has more axes than the region',
      ),
      fails(
        'incSubtensor with y not fitting the region at run time',
        () => { const [x, y] = [nb.matrix('x'), nb.matrix('y')]; nb.fn([x, y], nb.incSubtensor(x, [nb.slice(0, 2)], y))([[0, 0], [0, 0], [0, 0]], [[1, 1], [2, 2], [3, 3]]); },
        'incSubtensor: y is float32[?, ?] and has shape [3, 2] at run time, which does not fit [2, 2]',
      ),
      fails(
        'incSubtensor with y of the wrong size',
        () => nb.incSubtensor(tensor('float32', [5, 3], 'x'), [nb.slice(0, 2)], tensor('float32', [3, 3], 'y')),
        'incSubtensor', 'region is float32[2, 3]', 'y is float32[3, 3]', 'axis 0 differs (2 vs 3)',
      ),
    ],
  },
  {
    name: 'incSubtensor setting a negative-step slice',
    fn: 'incSubtensor',
    inputs: [float('x', [5, 'm']), float('y', [3, 1])],
    build: ([x, y]) => nb.incSubtensor(x, [nb.slice(null, null, -2)], y, true),
    ref: ([x, y]) => P.basicIncrement(x, [[4, 2, 0]], y, true),
  },
  {
    name: 'incSubtensor at a symbolic index',
    fn: 'incSubtensor',
    inputs: [float('x', ['n', 'm']), int('i', [], -2, 1), float('y', ['m'])],
    dims: { n: [2, 4] },
    build: ([x, i, y]) => nb.incSubtensor(x, [i], y),
    ref: ([x, i, y]) => P.basicIncrement(x, [i.data[0]], y, false),
  },
  {
    name: 'incSubtensor adding at repeated indices accumulates',
    fn: 'incSubtensor',
    inputs: [float('x', [4, 'm']), int('i', [5], 0, 3), float('y', [5, 'm'])],
    build: ([x, i, y]) => nb.incSubtensor(x, [i], y),
    ref: ([x, i, y]) => P.advancedIncrement(x, [i], y, false),
  },
  {
    name: 'incSubtensor setting at an index array',
    fn: 'incSubtensor',
    inputs: [float('x', [4, 'm']), float('y', ['m'])],
    build: ([x, y]) => nb.incSubtensor(x, [[3, 0]], y, true),
    ref: ([x, y]) => P.advancedIncrement(x, [{ shape: [2], data: [3, 0] }], y, true),
  },
];

const nnetRows: OpRow[] = [
  over('softmax', 'softmax', float('x', ['n', 'm'], 'wide'), nb.softmax, (x) => P.softmax(x), {
    errors: [fails('softmax of ints', () => nb.softmax(nb.imatrix('x')), 'softmax: x is int32[?, ?]; needs a float tensor')],
  }),
  over('softmax of a vector', 'softmax', float('x', ['m'], 'wide'), nb.softmax, (x) => P.softmax(x)),
  over('softmax of a tensor3', 'softmax', float('x', [2, 'n', 'm']), nb.softmax, (x) => P.softmax(x)),
  over('logSoftmax', 'logSoftmax', float('x', ['n', 'm'], 'wide'), nb.logSoftmax, (x) => P.softmax(x, true)),
  {
    name: 'nll of softmax',
    fn: 'nll',
    inputs: [float('x', ['n', 4], 'wide'), int('y', ['n'], 0, 3)],
    build: ([x, y]) => nb.nll(nb.softmax(x), y),
    ref: ([x, y]) => P.scalar(-meanOf(pick(P.softmax(x, true), y))),
    errors: [
      fails('nll of a vector', () => nb.nll(nb.vector('p'), nb.ivector('y')), 'nll', 'p is float32[?]', 'p must be a matrix of class probabilities'),
      fails('nll of float labels', () => nb.nll(nb.matrix('p'), nb.vector('y')), 'nll', 'y is float32[?]', 'y must be an int32 vector of labels'),
    ],
  },
  {
    name: 'nll of probabilities',
    fn: 'nll',
    inputs: [float('p', ['n', 4], 'unit'), int('y', ['n'], 0, 3)],
    build: ([p, y]) => nb.nll(p, y),
    ref: ([p, y]) => P.scalar(-meanOf(P.map(pick(p, y), Math.log))),
  },
  binary('binaryCrossentropy', 'binaryCrossentropy', nb.binaryCrossentropy, crossEntropy, float('p', ['n', 'm'], 'unit'), float('t', ['m'], 'unit')),
  // Compiling rewrites the logs of sigmoid to softplus forms; the reference is their definition.
  // -(t log σ(z) + (1 - t) log σ(-z)) with log σ(z) = -softplus(-z): the form whose limit at z = ±Infinity is kept.
  binary('binaryCrossentropy of sigmoid (stabilised)', 'binaryCrossentropy', (z, t) => nb.binaryCrossentropy(nb.sigmoid(z), t), (z, t) => t * softplus(-z) + (1 - t) * softplus(z), float('z', ['n', 'm'], 'wide'), float('t', ['n', 'm'], 'unit'), {
    specials: ['z'],
  }),
  // softplus(z) - t z: NaN at z = +Infinity (Infinity - Infinity), where the stabilised form above keeps the limit.
  binary('sigmoidCrossentropyWithLogits', 'sigmoidCrossentropyWithLogits', nb.sigmoidCrossentropyWithLogits, (z, t) => (z === Infinity ? NaN : crossEntropy(sigmoid(z), t)), float('z', ['n', 'm'], 'wide'), float('t', ['m'], 'unit'), {
    tol: 1e-9,
    specials: ['z'], // targets are probabilities: an infinite one has no loss
  }),
  pair('categoricalCrossentropy of a target matrix', 'categoricalCrossentropy', float('p', ['n', 4], 'unit'), float('t', ['n', 4], 'unit'), nb.categoricalCrossentropy, (p, t) =>
    P.reduce(P.zip((a, b) => -b * Math.log(a), [p, t]), 1, false, P.total),
  ),
  {
    name: 'categoricalCrossentropy of int labels',
    fn: 'categoricalCrossentropy',
    inputs: [float('z', ['n', 4], 'wide'), int('y', ['n'], 0, 3)],
    build: ([z, y]) => nb.categoricalCrossentropy(nb.softmax(z), y),
    ref: ([z, y]) => P.map(pick(P.softmax(z, true), y), (v) => -v),
  },
  {
    name: 'softmaxCrossentropyWithLogits',
    fn: 'softmaxCrossentropyWithLogits',
    inputs: [float('z', ['n', 4], 'wide'), int('y', ['n'], 0, 3)],
    build: ([z, y]) => nb.softmaxCrossentropyWithLogits(z, y),
    ref: ([z, y]) => P.map(pick(P.softmax(z, true), y), (v) => -v),
    errors: [
      fails('logits as a vector', () => nb.softmaxCrossentropyWithLogits(nb.vector('z'), nb.ivector('y')), 'softmaxCrossentropy', 'z is float32[?]', 'z must be a float matrix of logits'),
      fails('labels as a matrix', () => nb.softmaxCrossentropyWithLogits(nb.matrix('z'), nb.imatrix('y')), 'softmaxCrossentropy', 'y is int32[?, ?]', 'y must be an int32 vector of labels'),
      fails('a label out of range', () => nb.fn([], nb.softmaxCrossentropyWithLogits([[1, 2, 3]], [3]))(), 'softmaxCrossentropy', 'label 3 of row 0 is outside [0, 3)'),
      fails('fewer labels than rows', () => nb.fn([], nb.softmaxCrossentropyWithLogits([[1, 2], [3, 4]], [1]))(), 'softmaxCrossentropy', 'z has 2 rows but y has 1 labels'),
    ],
  },
  {
    // Its gradient differentiated again: h-weighted rows of softmax(z) - onehot(y), against finite differences.
    name: 'softmaxCrossentropyWithLogits gradient',
    fn: 'softmaxCrossentropyWithLogits',
    inputs: [float('z', ['n', 4], 'wide'), float('w', ['n']), int('y', ['n'], 0, 3)],
    build: ([z, w, y]) => nb.grad(nb.softmaxCrossentropyWithLogits(z, y).mul(w).sum(), [z])[0],
    specials: ['z'], // an infinite weight times a zero-sum row is Inf - Inf in any order of the sum
    ref: ([z, w, y]) => {
      const s = P.softmax(z);
      return P.tabulate(z.shape, ([i, j]) => w.data[i] * (P.get(s, [i, j]) - bool(j === y.data[i])));
    },
  },
  binary('squaredError', 'squaredError', nb.squaredError, (a, b) => (a - b) ** 2, float('a', ['n', 'm']), float('b', [1, 'm'])),
  over('l1', 'l1', float('x', ['n', 'm'], 'nonzero'), nb.l1, (x) => P.scalar(P.total(x.data.map(Math.abs)))),
  over('l2Sqr', 'l2Sqr', float('x', ['n', 'm']), nb.l2Sqr, (x) => P.scalar(P.total(x.data.map((v) => v * v)))),
  over('l2Norm', 'l2Norm', float('x', ['n', 'm']), nb.l2Norm, (x) => P.scalar(Math.sqrt(P.total(x.data.map((v) => v * v))))),
];

const convDims = { b: [1, 2], h: [3, 5], w: [3, 5], kh: [1, 3], kw: [1, 3] } as const;
const convRows: OpRow[] = [
  {
    name: 'conv2d valid',
    fn: 'conv2d',
    inputs: [float('x', ['b', 3, 'h', 'w']), float('filters', [2, 3, 'kh', 'kw'], 'real', true)],
    dims: convDims,
    build: ([x, w]) => nb.conv2d(x, w),
    ref: ([x, w]) => P.conv2d(x, w, 'valid'),
    errors: [
      fails(
        'conv2d with mismatched channels',
        () => nb.conv2d(tensor('float32', [8, 3, 28, 28], 'x'), tensor('float32', [20, 2, 5, 5], 'W')),
        'conv2d', 'x is float32[8, 3, 28, 28]', 'filters is float32[20, 2, 5, 5]', 'channels differ (3 vs 2)',
      ),
      fails(
        'conv2d with filters larger than the images',
        () => nb.conv2d(tensor('float32', [1, 1, 4, 4]), tensor('float32', [1, 1, 5, 5])),
        'conv2d', "filters are larger than the images in 'valid' mode",
      ),
      fails('conv2d of a matrix', () => nb.conv2d(nb.matrix('x'), nb.tensor4('W')), 'conv2d', 'x is float32[?, ?]', 'x must be [batch, channels, rows, cols]'),
      fails(
        'conv2d in an unknown mode',
        () => nb.conv2d(nb.tensor4('x'), nb.tensor4('W'), 'same' as 'valid'),
        "conv2d: mode must be 'valid' or 'full', not 'same'",
      ),
    ],
  },
  {
    name: 'conv2d full',
    fn: 'conv2d',
    inputs: [float('x', ['b', 2, 'h', 'w']), float('filters', [3, 2, 'kh', 'kw'], 'real', true)],
    dims: { ...convDims, h: [1, 4], w: [1, 4] },
    build: ([x, w]) => nb.conv2d(x, w, 'full'),
    ref: ([x, w]) => P.conv2d(x, w, 'full'),
  },
  {
    name: 'conv2d valid of one channel',
    fn: 'conv2d',
    inputs: [float('x', ['b', 1, 'h', 'w']), float('filters', ['k', 1, 'kh', 'kw'], 'real', true)],
    dims: { ...convDims, k: [1, 3] },
    build: ([x, w]) => nb.conv2d(x, w),
    ref: ([x, w]) => P.conv2d(x, w, 'valid'),
  },
  over('maxPool2d ignoreBorder true', 'maxPool2d', float('x', ['b', 2, 'h', 'w'], 'distinct'), (x) => nb.maxPool2d(x, [2, 2]), (x) => P.maxPool(x, [2, 2], true), {
    dims: { b: [1, 2], h: [2, 5], w: [2, 5] },
    errors: [
      fails('maxPool2d with a zero pool size', () => nb.maxPool2d(nb.tensor4('x'), [0, 2]), 'maxPool2d: pool [0, 2] must be positive integers'),
      fails('maxPool2d of a vector', () => nb.maxPool2d(nb.vector('x'), [2, 2]), 'maxPool2d', 'x is float32[?]', 'pooling needs at least two axes'),
    ],
  }),
  over('maxPool2d ignoreBorder false', 'maxPool2d', float('x', ['b', 2, 'h', 'w'], 'distinct'), (x) => nb.maxPool2d(x, [2, 3], false), (x) => P.maxPool(x, [2, 3], false), {
    dims: { b: [1, 2], h: [1, 5], w: [1, 5] },
  }),
  over('maxPool2d of a matrix', 'maxPool2d', float('x', ['h', 'w'], 'distinct'), (x) => nb.maxPool2d(x, [3, 2], false), (x) => P.maxPool(x, [3, 2], false), {
    dims: { h: [1, 7], w: [1, 5] },
  }),
];

const randomRows: OpRow[] = [
  over('RandomStreams.uniform', 'uniform', float('x', ['n', 'm']), (x) => x.add(new nb.RandomStreams(7).uniform(x.shape, -1, 1, x.dtype)), (x) =>
    P.zip((v, u) => v + (2 * u - 1), [x, philox(7, 0, x)]), {
    errors: [fails('RandomStreams with a negative seed', () => new nb.RandomStreams(-1), 'RandomStreams: seed -1 must be an integer in [0, 2^32)')],
  }),
  // Box–Muller over two streams: z = sqrt(-2 log u1) cos(2π u2).
  over('RandomStreams.normal', 'normal', float('x', ['n', 'm']), (x) => x.mul(new nb.RandomStreams(3).normal(x.shape, 0.5, 2, x.dtype)), (x) =>
    P.zip(
      (v, u1, u2) => v * (0.5 + 2 * Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2)),
      [x, philox(3, 0, x), philox(3, 1, x)],
    ),
  ),
  over('RandomStreams.binomial with an expression for p', 'binomial', float('x', ['n', 'm']), (x) => new nb.RandomStreams(5).binomial(x.shape, 2, nb.sigmoid(x), x.dtype), (x) =>
    P.zip((v, u1, u2) => bool(u1 < sigmoid(v)) + bool(u2 < sigmoid(v)), [x, philox(5, 0, x), philox(5, 1, x)]), {
    errors: [fails('binomial of zero trials', () => new nb.RandomStreams(1).binomial([2], 0), 'binomial: n is 0; it must be a positive integer')],
  }),
];

export const opTable: readonly OpRow[] = [
  ...elementwiseRows, ...reduceRows, ...shapeRows, ...linalgRows,
  ...indexingRows, ...nnetRows, ...convRows, ...randomRows, ...scanRows,
];

/** Composites and variants users call, each of which must have a row (checked by op-values.test.ts). */
export const requiredFunctions = [
  'mean', 'variance', 'nll', 'softmaxCrossentropyWithLogits', 'binaryCrossentropy', 'categoricalCrossentropy', 'squaredError', 'l1', 'l2Sqr', 'l2Norm', 'outer',
  'stack', 'flatten', 'take', 'transpose', 'clip', 'where', 'relu', 'softplus', 'logSoftmax', 'conv2d', 'maxPool2d', 'at',
  'incSubtensor', 'concatenate', 'split', 'reshape', 'dimshuffle', 'cast', 'dot', 'uniform', 'normal', 'binomial', 'scan',
];
