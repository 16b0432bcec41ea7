// x.eval(): the value of an expression without inputs, reading shared variables as they are now.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as nb from '../../src/index.js';
import type { NDArray } from '../../src/index.js';

nb.setBackend((process.env.NABLA_TEST_BACKEND ?? 'reference') as nb.BackendName);

test('eval gives an NDArray, or a number for a scalar', () => {
  const e = nb.exp(nb.array([0, 1], 'float64')).eval() as NDArray;
  assert.deepEqual(e.toArray(), [1, Math.E]);
  assert.equal(nb.sum(nb.array([1, 2, 3])).eval(), 6);
});

test('eval reads shared variables at each call', () => {
  const W = nb.shared(nb.array([1, 2]), 'W');
  const doubled = W.mul(2);
  assert.deepEqual((doubled.eval() as NDArray).toArray(), [2, 4]);
  W.set(nb.array([5, 6]));
  assert.deepEqual((doubled.eval() as NDArray).toArray(), [10, 12]);
});

test('eval of an expression that needs an input says which', () => {
  const x = nb.vector('x');
  assert.throws(() => x.add(1).eval(), /the outputs depend on x \(float32\[\?\]\), which is not among the inputs/);
});
