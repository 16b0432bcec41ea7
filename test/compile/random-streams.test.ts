// RandomStreams in compiled functions: a seed fixes every draw (the raw Philox counters, so any backend
// gives the same numbers), each call advances the counter, binomial takes an expression for p, and
// normal draws have the mean and spread asked for.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as nb from '../../src/index.js';
import type { NDArray } from '../../src/index.js';
import { philoxUniform } from '../../src/random/philox.js';

nb.setBackend((process.env.NABLA_TEST_BACKEND ?? 'reference') as nb.BackendName);

const draw = (seed: number, stream: number, counter: number, n: number) => {
  const out = new Float64Array(n);
  philoxUniform(seed, stream, counter, out);
  return Array.from(out);
};
const data = (r: unknown) => Array.from((r as NDArray).data);
const meanOf = (xs: ArrayLike<number>) => Array.from(xs).reduce((a, b) => a + b, 0) / xs.length;

test('the same seed gives the same numbers; another seed or stream gives others', () => {
  const sample = (seed: number) => data(nb.fn([], new nb.RandomStreams(seed).uniform([6]))());
  assert.deepEqual(sample(42), sample(42));
  assert.notDeepEqual(sample(42), sample(43));
  const rng = new nb.RandomStreams(42);
  const [a, b] = nb.fn([], [rng.uniform([6]), rng.uniform([6])])() as NDArray[];
  assert.notDeepEqual(data(a), data(b));
});

test('call k draws Philox counter k of its stream: the counter advances after every call', () => {
  const rng = new nb.RandomStreams(9);
  rng.uniform([3]); // stream 0, not compiled: it never advances
  const f = nb.fn([], rng.uniform([5], 0, 1, 'float64'));
  for (let k = 0; k < 3; k++) assert.deepEqual(data(f()), draw(9, 1, k, 5));
});

test('uniform(shape, low, high) stays in (low, high) and follows a symbolic shape', () => {
  const x = nb.matrix('x');
  const u = new nb.RandomStreams(1).uniform(x.shape, -3, 5);
  const out = nb.fn([x], u)(new Array(40).fill(new Array(50).fill(0))) as NDArray;
  assert.deepEqual(out.shape, [40, 50]);
  assert.ok(out.data.every((v) => v > -3 && v < 5));
  assert.ok(Math.abs(meanOf(out.data) - 1) < 0.1, `mean ${meanOf(out.data)}`);
});

test('binomial takes an expression for p, broadcast to the shape, as an RBM samples its units', () => {
  const x = nb.vector('x', 'float64');
  const p = nb.sigmoid(x);
  const rows = 4000;
  const h = new nb.RandomStreams(5).binomial([rows, 3], 1, p, 'float64');
  const out = nb.fn([x], h)([-2, 0, 2]) as NDArray;
  assert.ok(out.data.every((v) => v === 0 || v === 1));
  const expected = [-2, 0, 2].map((v) => 1 / (1 + Math.exp(-v)));
  expected.forEach((pj, j) => {
    const column = Array.from({ length: rows }, (_, i) => out.data[i * 3 + j]);
    assert.ok(Math.abs(meanOf(column) - pj) < 0.03, `column ${j}: mean ${meanOf(column)}, p ${pj}`);
  });
  const three = nb.fn([x], new nb.RandomStreams(6).binomial([rows, 3], 3, p, 'float64'))([-2, 0, 2]) as NDArray;
  assert.ok(three.data.every((v) => Number.isInteger(v) && v >= 0 && v <= 3));
  assert.ok(Math.abs(meanOf(Array.from({ length: rows }, (_, i) => three.data[i * 3 + 1])) - 1.5) < 0.08);
});

test('normal(shape, mean, std) has roughly that mean and standard deviation', () => {
  const out = nb.fn([], new nb.RandomStreams(11).normal([20000], 3, 2, 'float64'))() as NDArray;
  const mean = meanOf(out.data);
  const std = Math.sqrt(meanOf(Array.from(out.data, (v) => (v - mean) ** 2)));
  assert.ok(Math.abs(mean - 3) < 0.05, `mean ${mean}`);
  assert.ok(Math.abs(std - 2) < 0.05, `std ${std}`);
  assert.ok(out.data.every(Number.isFinite));
});

test('a draw used twice in one call is one sample (a dropout mask applied to two things agrees)', () => {
  const mask = new nb.RandomStreams(2).binomial([100], 1, 0.5);
  const [a, b] = nb.fn([], [mask, mask.mul(1)])() as NDArray[];
  assert.deepEqual(data(a), data(b));
});
