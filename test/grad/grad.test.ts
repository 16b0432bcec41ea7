// grad(): what it refuses (disconnected or non-scalar costs), what it returns on request (zeros),
// considerConstant, higher derivatives from grad of grad, and gradients as graphs of other dtypes.
// Per-op gradient rules are checked against finite differences by test/ops/op-grads.test.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as nb from '../../src/index.js';
import type { NDArray } from '../../src/index.js';

nb.setBackend((process.env.NABLA_TEST_BACKEND ?? 'reference') as nb.BackendName);

const values = (r: unknown) => (typeof r === 'number' ? [r] : Array.from((r as NDArray).data));

test('a cost that does not depend on the target raises, naming the target', () => {
  const [x, y] = [nb.vector('x'), nb.vector('y')];
  assert.throws(() => nb.grad(x.sum(), y), /grad: the cost does not depend on y \(float32\[\?\]\); pass \{ disconnected: 'zero' \}/);
  assert.throws(() => nb.grad(x.sum(), [x, y]), /does not depend on y/);
});

test("{ disconnected: 'zero' } returns zeros of the target's shape", () => {
  const [x, y] = [nb.vector('x', 'float64'), nb.matrix('y', 'float64')];
  const [gx, gy] = nb.grad(x.mul(3).sum(), [x, y], { disconnected: 'zero' });
  const f = nb.fn([x, y], [gx, gy]);
  const [a, b] = f([1, 2], [[1, 2, 3], [4, 5, 6]]) as NDArray[];
  assert.deepEqual(a.toArray(), [3, 3]);
  assert.deepEqual(b.shape, [2, 3]);
  assert.deepEqual(b.toArray(), [[0, 0, 0], [0, 0, 0]]);
});

test('a shared variable the cost does not use is disconnected too', () => {
  const x = nb.vector('x');
  const W = nb.shared(nb.zeros([3]), 'W');
  assert.throws(() => nb.grad(x.sum(), W), /the cost does not depend on W/);
});

test('a non-scalar or integer cost raises', () => {
  const x = nb.vector('x');
  assert.throws(() => nb.grad(x.mul(2), x), /grad: cost .* is float32\[\?\]; it must be a scalar \(take its sum or mean\)/);
  const i = nb.ivector('i');
  assert.throws(() => nb.grad(i.sum(), i), /grad: cost .* is int32; it must be a float/);
});

test('considerConstant blocks the gradient through a variable', () => {
  const x = nb.vector('x', 'float64');
  const c = x.mul(2);
  const cost = c.mul(x).sum(); // 2x², whose full gradient is 4x
  const f = nb.fn([x], [nb.grad(cost, x), nb.grad(cost, x, { considerConstant: [c] })]);
  const [full, blocked] = f([1, -3]) as NDArray[];
  assert.deepEqual(full.toArray(), [4, -12]);
  assert.deepEqual(blocked.toArray(), [2, -6]); // only through the second factor: c = 2x
});

test('considerConstant on the target itself makes it disconnected', () => {
  const x = nb.vector('x');
  assert.throws(() => nb.grad(x.sum(), x, { considerConstant: [x] }), /does not depend on x/);
});

test('the second derivative of x³ is 6x (grad of grad), and the third is 6', () => {
  const x = nb.scalar('x', 'float64');
  const y = x.mul(x).mul(x);
  const d1 = nb.grad(y, x);
  const d2 = nb.grad(d1, x);
  const d3 = nb.grad(d2, x);
  const f = nb.fn([x], [d1, d2, d3]);
  for (const v of [-1.5, 0.5, 2]) assert.deepEqual(f(v), [3 * v * v, 6 * v, 6]);
  const viaPow = nb.fn([x], nb.grad(nb.grad(nb.pow(x, 3), x), x));
  assert.ok(Math.abs((viaPow(2) as number) - 12) < 1e-12);
});

test('second derivatives through matrix ops: the Hessian-vector product of ½‖Wx‖² is WᵀWv', () => {
  const W = nb.shared(nb.array([[1, 2], [3, 4], [5, 6]], 'float64'), 'W');
  const [x, v] = [nb.vector('x', 'float64'), nb.vector('v', 'float64')];
  const cost = nb.l2Sqr(W.dot(x)).mul(0.5);
  const hv = nb.grad(nb.grad(cost, x).mul(v).sum(), x);
  const out = nb.fn([x, v], hv)([0.3, -0.7], [1, 2]) as NDArray;
  assert.deepEqual(out.toArray(), [35 + 2 * 44, 44 + 2 * 56]); // WᵀW = [[35, 44], [44, 56]]
});

test('a gradient has its target dtype: through cast, a float32 input gets a float32 gradient', () => {
  const x = nb.vector('x');
  const c = nb.vector('c', 'float64');
  const g = nb.grad(nb.cast(x, 'float64').mul(c).sum(), x);
  assert.equal(g.dtype, 'float32');
  assert.deepEqual(values(nb.fn([x, c], g)([1, 2], [0.5, -4])), [0.5, -4]);
});

test('gradients with respect to shared variables and inputs together', () => {
  const x = nb.vector('x', 'float64');
  const w = nb.shared(nb.array([2, 3], 'float64'), 'w');
  const [gx, gw] = nb.grad(x.mul(w).sum(), [x, w]);
  const [a, b] = nb.fn([x], [gx, gw])([5, 7]) as NDArray[];
  assert.deepEqual(a.toArray(), [2, 3]);
  assert.deepEqual(b.toArray(), [5, 7]);
});

test('a gradient with respect to an intermediate variable', () => {
  const x = nb.vector('x', 'float64');
  const h = x.mul(x);
  const g = nb.grad(h.mul(3).sum(), h);
  assert.deepEqual(values(nb.fn([x], g)([1, 2])), [3, 3]);
});

test('a random draw shaped like x passes no gradient to x through its shape', () => {
  const x = nb.vector('x', 'float64');
  const noisy = x.add(new nb.RandomStreams(1).uniform(x.shape, 0, 1, 'float64'));
  assert.deepEqual(values(nb.fn([x], nb.grad(noisy.sum(), x))([1, 2, 3])), [1, 1, 1]);
});

test('piecewise-constant ops (comparisons, sign, floor) have zero gradient', () => {
  const x = nb.vector('x', 'float64');
  const cost = nb.gt(x, 0).mul(x.sign()).add(nb.floor(x)).sum();
  assert.deepEqual(values(nb.fn([x], nb.grad(cost, x))([-1.5, 0.5])), [0, 0]);
});

test('the gradient of nll(softmax(z)) is stable for logits of 1000', () => {
  const z = nb.matrix('z', 'float64');
  const y = nb.ivector('y');
  const g = nb.grad(nb.nll(nb.softmax(z), y), z);
  const out = nb.fn([z, y], g)([[1000, 0, -1000], [0, 1000, 0]], [0, 0]) as NDArray;
  // (softmax(z) - onehot(y)) / n: row 0 predicts its label, row 1 is certain of the wrong one.
  assert.deepEqual(out.toArray(), [[0, 0, 0], [-0.5, 0.5, 0]]);
});
