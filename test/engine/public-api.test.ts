// The public API as DESIGN.md and the Theano chapter use it: the snippet runs as written and learns
// on real MNIST; the warm-up minimises x² + x.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as nb from '../../src/index.js';
import { loadMnist } from '../../src/data/index.js';

test("Theano warm-up: x = 20, cost x² + x, 25 steps of x − 0.3·∂cost/∂x end at x ≈ −0.5", () => {
  const x = nb.shared(nb.array(20, 'float64'), 'x');
  const cost = x.mul(x).add(x);
  const step = nb.fn([], cost, { updates: [[x, x.sub(nb.grad(cost, x).mul(0.3))]] });
  for (let i = 0; i < 25; i++) step();
  assert.ok(Math.abs((x.get().item()) + 0.5) < 1e-6, `x ended at ${x.get().item()}`);
});

test('the DESIGN.md snippet runs as written and lowers the cost on MNIST', () => {
  const mnist = loadMnist({ limit: { train: 6000, valid: 10, test: 10 } });
  const x = nb.matrix('x');
  const y = nb.ivector('y');
  const W = nb.shared(nb.zeros([784, 10]), 'W');
  const b = nb.shared(nb.zeros([10]), 'b');
  const p = nb.softmax(x.dot(W).add(b));
  const cost = nb.nll(p, y);
  const [gW, gb] = nb.grad(cost, [W, b]);
  const train = nb.fn([x, y], cost, { updates: [[W, W.sub(gW.mul(0.13))], [b, b.sub(gb.mul(0.13))]] });

  const batch = 600;
  const costs: number[] = [];
  for (let k = 0; k < 10; k++) {
    const rows = mnist.train.x.data.subarray(k * batch * 784, (k + 1) * batch * 784);
    const labels = mnist.train.y.data.subarray(k * batch, (k + 1) * batch);
    costs.push(train(nb.array(rows, 'float32', [batch, 784]), nb.array(labels, 'int32', [batch])) as number);
  }
  assert.ok(Math.abs(costs[0] - Math.log(10)) < 1e-4, `the first cost ${costs[0]} should be log 10 at W = 0`);
  assert.ok(costs[9] < 0.7 * costs[0], `cost after 10 steps is ${costs[9]}, from ${costs[0]}`);
  assert.ok(costs.slice(1).every((c, i) => c < costs[i] + 0.1), `costs ${costs.map((c) => c.toFixed(3)).join(' ')}`);
});
