// No leak: resident memory stays flat over 20,000 calls of a compiled training step on the native backend.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as nb from '../../src/index.js';

test('RSS stays flat over 20,000 MLP training steps (native)', { skip: nb.getBackend().name !== 'native' && 'native backend not built' }, () => {
  const x = nb.matrix('x');
  const y = nb.ivector('y');
  const W1 = nb.shared(nb.full([784, 100], 0.01), 'W1');
  const b1 = nb.shared(nb.zeros([100]), 'b1');
  const W2 = nb.shared(nb.zeros([100, 10]), 'W2');
  const b2 = nb.shared(nb.zeros([10]), 'b2');
  const p = nb.softmax(x.dot(W1).add(b1).tanh().dot(W2).add(b2));
  const cost = nb.nll(p, y).add(nb.l2Sqr(W1).mul(1e-4));
  const step = nb.fn([x, y], cost, { updates: nb.sgd(cost, [W1, b1, W2, b2], { learningRate: 0.01 }) });
  const xb = nb.full([20, 784], 0.5);
  const yb = nb.array(Array.from({ length: 20 }, (_, i) => i % 10), 'int32');
  const rssAfter = (steps: number) => {
    for (let i = 0; i < steps; i++) step(xb, yb);
    global.gc?.();
    return process.memoryUsage().rss;
  };
  const warm = rssAfter(2000);
  const end = rssAfter(20000);
  const growthMb = (end - warm) / 2 ** 20;
  assert.ok(growthMb < 16, `RSS grew by ${growthMb.toFixed(1)} MB over 20,000 steps`);
});
