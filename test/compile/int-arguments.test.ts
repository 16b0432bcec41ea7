// Integer inputs at a compiled function's door: numbers that are not exact int32 values are refused with
// the input and the element named (never truncated, wrapped or turned into 0), and grad refuses an int32
// target, as JAX's grad does: integers have no gradient.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as nb from '../../src/index.js';
import type { NDArray } from '../../src/index.js';

nb.setBackend((process.env.NABLA_TEST_BACKEND ?? 'reference') as nb.BackendName);

const y = nb.ivector('y');
const twice = nb.fn([y], y.mul(2));
const m = nb.imatrix('m');
const same = nb.fn([m], m.add(0));

test('exact integers in range pass, as numbers, booleans or typed arrays', () => {
  assert.deepEqual((twice([1, -2, 7]) as NDArray).toArray(), [2, -4, 14]);
  assert.deepEqual((twice(Float64Array.of(3, -2147483648 / 2)) as NDArray).toArray(), [6, -2147483648]);
  assert.deepEqual((twice([true, false]) as NDArray).toArray(), [2, 0]);
  assert.deepEqual((same([[1, 2], [3, 2147483647]]) as NDArray).toArray(), [[1, 2], [3, 2147483647]]);
});

test('fractions, out-of-range numbers, NaN and infinities are refused, naming the input and the element', () => {
  const cases: [unknown, string][] = [
    [[1.7, 2.9, -0.5], 'input 0 (y, int32[?]): element [0] is 1.7, not an integer'],
    [[1, 3e9], 'element [1] is 3000000000, outside the int32 range [-2147483648, 2147483647]'],
    [[1, 2, -2147483649], 'element [2] is -2147483649, outside the int32 range'],
    [[0, NaN], 'element [1] is NaN, not an integer'],
    [[-Infinity], 'element [0] is -Infinity, not an integer'],
    [Float32Array.of(1, 2.5), 'element [1] is 2.5, not an integer'],
  ];
  for (const [value, message] of cases) {
    assert.throws(() => twice(value as number[]), (e: Error) => e.message.includes(message) && !e.message.includes('\n'), `${String(value)}: ${message}`);
  }
  assert.throws(() => same([[1, 2], [3, 4.5]]), /input 0 \(m, int32\[\?, \?\]\): element \[1, 1\] is 4\.5, not an integer/);
});

test('an array of another dtype is refused where int32 is needed, not converted', () => {
  assert.throws(() => twice(nb.array([1, 2], 'float32')), /input 0 \(y, int32\[\?\]\): got a float32 array; convert it with \.astype\('int32'\)/);
  assert.throws(() => twice(nb.array([1, 2], 'float64')), /got a float64 array/);
});

test('astype and nb.array convert to int32 as JAX does: toward zero, saturating, NaN to 0', () => {
  const floats = nb.array([1.7, -2.9, 3e9, -3e9, NaN, Infinity], 'float64');
  assert.deepEqual(floats.astype('int32').toArray(), [1, -2, 2147483647, -2147483648, 0, 2147483647]);
  assert.deepEqual(nb.array([1.7, 3e9], 'int32').toArray(), [1, 2147483647]);
  assert.deepEqual(nb.array(Float64Array.of(-1.5, -3e9, NaN), 'int32').toArray(), [-1, -2147483648, 0]);
});

test('grad with respect to an int32 variable is an error naming it', () => {
  const x = nb.vector('x');
  const i = nb.ivector('labels');
  const cost = x.mul(nb.cast(i, 'float32')).sum();
  assert.throws(() => nb.grad(cost, [x, i]), /grad: labels is int32\[\?\]; integers have no gradient/);
  assert.throws(() => nb.grad(x.take(i).sum(), i), /grad: labels is int32\[\?\]; integers have no gradient/);
  const [gx] = nb.grad(cost, [x]);
  assert.deepEqual((nb.fn([x, i], gx)([1, 1], [3, -4]) as NDArray).toArray(), [3, -4]);
});
