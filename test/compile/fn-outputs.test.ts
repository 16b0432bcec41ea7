// Outputs never alias: every array a compiled function returns is the caller's own buffer, whatever the
// output is (computed, folded to a constant, an input, a shared variable's value, an output twice), so
// editing a result changes nothing else and no later call changes it. Copies are made only for those
// leaves and repeats; values computed into fresh buffers are returned as they are.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as nb from '../../src/index.js';
import type { NDArray } from '../../src/index.js';

nb.setBackend((process.env.NABLA_TEST_BACKEND ?? 'reference') as nb.BackendName);

const list = (r: unknown) => (r as NDArray).toArray();

/** Asserts that no two of `arrays` share storage. */
function assertOwnBuffers(arrays: readonly NDArray[], what: string): void {
  arrays.forEach((a, i) => arrays.forEach((b, j) => {
    if (j > i) assert.notEqual(a.data.buffer, b.data.buffer, `${what}: arrays ${i} and ${j} share storage`);
  }));
}

/** Counts NDArray.clone calls made while `body` runs. */
function clonesDuring(body: () => void): number {
  const original = nb.NDArray.prototype.clone;
  let count = 0;
  nb.NDArray.prototype.clone = function (this: NDArray) {
    count++;
    return original.call(this);
  };
  try {
    body();
  } finally {
    nb.NDArray.prototype.clone = original;
  }
  return count;
}

test('an output that folds to a constant is a new array at every call, and editing it changes no later call', () => {
  const x = nb.vector('x');
  const table = nb.array([1, 2, 3]);
  const f = nb.fn([x], [x.add(1), nb.asVariable(table).mul(2)]);
  const [, first] = f([0, 0, 0]) as NDArray[];
  assert.deepEqual(list(first), [2, 4, 6]);
  first.data.fill(99);
  const [, second] = f([0, 0, 0]) as NDArray[];
  assert.deepEqual(list(second), [2, 4, 6]);
  assert.notEqual(first, second);
  assert.deepEqual(list(table), [1, 2, 3]);
  assert.deepEqual(list(nb.fn([], nb.asVariable(table))()), [1, 2, 3]);
  const own = nb.fn([], nb.asVariable(table))() as NDArray;
  own.data[0] = -1;
  assert.deepEqual(list(table), [1, 2, 3], 'the constant itself is never handed out');
});

test('nb.fn([x], x) returns a copy, not the caller\'s own array', () => {
  const x = nb.vector('x');
  const arg = nb.array([1, 2, 3]);
  const out = nb.fn([x], x)(arg) as NDArray;
  assert.notEqual(out, arg);
  assertOwnBuffers([out, arg], 'output and argument');
  out.data[0] = 42;
  assert.deepEqual(list(arg), [1, 2, 3]);
});

test('a shared variable\'s value, and an update\'s new value returned as an output, are copies', () => {
  const W = nb.shared(nb.array([1, 2]), 'W');
  const next = W.mul(2);
  const f = nb.fn([], [W, next], { updates: [[W, next]] });
  const [old, doubled] = f() as NDArray[];
  assertOwnBuffers([old, doubled, W.get()], 'outputs and the shared value');
  doubled.data.fill(0);
  old.data.fill(0);
  assert.deepEqual(list(W.get()), [2, 4]);
  const [old2, doubled2] = f() as NDArray[];
  assert.deepEqual([list(old2), list(doubled2), list(W.get())], [[2, 4], [4, 8], [4, 8]]);
});

test('the same variable twice, or two outputs that merge into one, give two arrays', () => {
  const x = nb.vector('x');
  const y = x.mul(3);
  const [a, b] = nb.fn([x], [y, y])([1, 2]) as NDArray[];
  const [c, d] = nb.fn([x], [x.add(1), x.add(1)])([1, 2]) as NDArray[];
  const [e, g] = nb.fn([x], [x, x])([1, 2]) as NDArray[];
  assertOwnBuffers([a, b, c, d, e, g], 'repeated outputs');
  a.data[0] = 0;
  c.data[0] = 0;
  assert.deepEqual([list(b), list(d), list(g)], [[3, 6], [2, 3], [1, 2]]);
});

test('outputs computed by a node are returned without a copy, and are new at every call', () => {
  const x = nb.matrix('x');
  const W = nb.shared(nb.array([[1, 0], [0, 1]]), 'W');
  const f = nb.fn([x], [nb.tanh(x.dot(W)), x.sum(1)]);
  const args = [[0.5, 1], [2, 3]];
  f(args);
  let first: NDArray[] = [];
  let second: NDArray[] = [];
  assert.equal(clonesDuring(() => { first = f(args) as NDArray[]; second = f(args) as NDArray[]; }), 0);
  assertOwnBuffers([...first, ...second, W.get()], 'outputs of two calls');
});
