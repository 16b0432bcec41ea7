// Products folded into gemm (rewrites/gemm.ts) and gemm writing an update into the variable's own
// storage (in-place.ts): the values must be those of the plain update graph evaluated with every
// update reading the old values, as Theano's semantics say, whatever the compiler fuses or reorders.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as nb from '../../src/index.js';
import type { NDArray } from '../../src/index.js';

nb.setBackend((process.env.NABLA_TEST_BACKEND ?? 'reference') as nb.BackendName);
const inPlaceBackend = nb.getBackend().name === 'native';

const opsOf = (f: nb.CompiledFunction) => f.nodes.map((n) => n.op.name);
const values = (x: NDArray) => Array.from(x.data);

function assertNear(actual: NDArray, expected: readonly number[], what: string) {
  const a = values(actual);
  assert.equal(a.length, expected.length, what);
  a.forEach((v, i) => assert.ok(Math.abs(v - expected[i]) < 1e-5, `${what}[${i}]: ${v} vs ${expected[i]}`));
}

/** A plain matrix product for expected values: a [n, k] · b [k, m]. */
function matmul(a: number[][], b: number[][]): number[][] {
  return a.map((row) => b[0].map((_, j) => row.reduce((s, v, p) => s + v * b[p][j], 0)));
}
const transpose = (a: number[][]) => a[0].map((_, j) => a.map((row) => row[j]));

const X = [[1, 2, 0], [0, 1, 3]];
const G = [[0.5, -1], [2, 1]];
const W0 = [[1, 2], [3, 4], [5, 6]];

test('an L2-regularised SGD step W − lr·(xᵀg + 2λW) compiles to one gemm, with no separate product', () => {
  const W = nb.shared(nb.array(W0), 'W');
  const x = nb.matrix('x');
  const g = nb.matrix('g');
  const cost = x.dot(W).mul(g).sum().add(W.square().sum().mul(0.05));
  const [gW] = nb.grad(cost, [W]);
  const step = nb.fn([x, g], cost, { updates: [[W, W.sub(gW.mul(0.1))]] });
  assert.equal(opsOf(step).filter((op) => op === 'gemm').length, 1);
  assert.equal(opsOf(step).filter((op) => op === 'dot').length, 1, 'only the forward product stays a dot');
  step(X, G);
  const xtg = matmul(transpose(X), G);
  assertNear(W.value, W0.flatMap((row, i) => row.map((w, j) => w - 0.1 * (xtg[i][j] + 0.1 * w))), 'W');
});

test('an update overwrites the variable in place where the backend allows, and the next call sees it', () => {
  const W = nb.shared(nb.array(W0), 'W');
  const x = nb.matrix('x');
  const g = nb.matrix('g');
  const step = nb.fn([x, g], null, { updates: [[W, W.sub(x.T.dot(g).mul(0.5))]] });
  const storage = W.value;
  step(X, G);
  step(X, G);
  assert.equal(W.value === storage, inPlaceBackend, 'native gemm writes into W itself; the reference backend allocates');
  const xtg = matmul(transpose(X), G);
  assertNear(W.value, W0.flatMap((row, i) => row.map((w, j) => w - xtg[i][j])), 'W after two steps');
});

test('other readers of the old value run before the in-place update: outputs and other updates see W as it was', () => {
  const W = nb.shared(nb.array(W0), 'W');
  const V = nb.shared(nb.zeros([3, 2]), 'V');
  const x = nb.matrix('x');
  const g = nb.matrix('g');
  // V's update reads W, and the output is W·1: both must see W before this call's update.
  const step = nb.fn([x, g], W.sum(), { updates: [[W, W.add(x.T.dot(g))], [V, V.add(W.mul(2))]] });
  const total = step(X, G) as number;
  assert.equal(total, 21);
  assertNear(V.value, W0.flat().map((w) => 2 * w), 'V = 2·W(old)');
  const xtg = matmul(transpose(X), G);
  assertNear(W.value, W0.flatMap((row, i) => row.map((w, j) => w + xtg[i][j])), 'W');
});

test('two updates that read each other keep their old values (no in-place write clobbers the other)', () => {
  const A = nb.shared(nb.array([[1, 2], [3, 4]]), 'A');
  const B = nb.shared(nb.array([[0, 1], [1, 0]]), 'B');
  const c = nb.matrix('c');
  const step = nb.fn([c], null, { updates: [[A, A.add(B.dot(c))], [B, B.sub(A.dot(c).mul(2))]] });
  step([[1, 1], [0, 1]]);
  // A' = A + B·c = A + [[0, 1], [1, 1]];  B' = B − 2·A·c = B − 2·[[1, 3], [3, 7]].
  assertNear(A.value, [1, 3, 4, 5], 'A');
  assertNear(B.value, [-2, -5, -5, -14], 'B');
});

test('a shared variable returned as an output is returned as it was before the update', () => {
  const W = nb.shared(nb.array(W0), 'W');
  const g = nb.matrix('g');
  const step = nb.fn([g], W, { updates: [[W, W.add(nb.dot(W, g))]] });
  const before = step([[1, 0], [0, 1]]) as NDArray;
  assertNear(before, W0.flat(), 'the output');
  assertNear(W.value, W0.flat().map((w) => 2 * w), 'W');
});

test('a sum of two products with the variable (an autoencoder\'s tied-weight gradient) is two chained gemms', () => {
  const W = nb.shared(nb.array(W0), 'W');
  const x = nb.matrix('x');
  const y = nb.matrix('y');
  const step = nb.fn([x, y], null, { updates: [[W, W.sub(x.T.dot(y).add(nb.dot(y.T, x).T).mul(0.25))]] });
  assert.equal(opsOf(step).filter((op) => op === 'gemm').length, 2);
  step(X, G);
  const xty = matmul(transpose(X), G);
  assertNear(W.value, W0.flatMap((row, i) => row.map((w, j) => w - 0.5 * xty[i][j])), 'W');
});

test('a learning rate held in a shared variable, and a division by the batch size, become the gemm\'s scalars', () => {
  const W = nb.shared(nb.array(W0), 'W');
  const lr = nb.shared(nb.array(0.5), 'lr');
  const x = nb.matrix('x');
  const g = nb.matrix('g');
  const step = nb.fn([x, g], null, { updates: [[W, W.sub(x.T.dot(g).div(2).mul(lr))]] });
  assert.ok(opsOf(step).includes('gemm'));
  step(X, G);
  lr.set(nb.array(1));
  step(X, G);
  const xtg = matmul(transpose(X), G);
  assertNear(W.value, W0.flatMap((row, i) => row.map((w, j) => w - 0.75 * xtg[i][j])), 'W after steps at lr 0.5 and 1');
});
