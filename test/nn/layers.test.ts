// Layers: the tutorial's initialisations, forward passes against hand computations, and dropout's
// train/test behaviour.
import '../single-thread.js';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as nb from '../../src/index.js';
import { ConvPoolLayer, Dropout, Flatten, HiddenLayer, LogisticLayer, activate, convPoolOutputShape, glorotBound } from '../../src/nn/index.js';

const maxAbs = (a: nb.NDArray) => Math.max(...Array.from(a.data, Math.abs));

test('glorotBound is sqrt(6 / (fanIn + fanOut)), four times wider for sigmoid', () => {
  assert.equal(glorotBound(784, 500, 'tanh'), Math.sqrt(6 / 1284));
  assert.equal(glorotBound(784, 500, 'relu'), Math.sqrt(6 / 1284));
  assert.equal(glorotBound(784, 500, 'sigmoid'), 4 * Math.sqrt(6 / 1284));
});

test('HiddenLayer draws W uniformly within the bound from its seed, b at zero, and computes s(xW + b)', () => {
  const layer = new HiddenLayer(new nb.RandomStreams(7), 30, 20, { activation: 'sigmoid', name: 'h' });
  const W = layer.W.get();
  const bound = glorotBound(30, 20, 'sigmoid');
  assert.deepEqual(W.shape, [30, 20]);
  assert.ok(maxAbs(W) < bound && maxAbs(W) > 0.8 * bound, `weights fill (-${bound}, ${bound})`);
  assert.ok(Math.abs(Array.from(W.data).reduce((a, b) => a + b, 0) / W.size) < 0.1 * bound, 'weights are centred');
  assert.deepEqual(Array.from(layer.b.get().data), new Array(20).fill(0));
  assert.deepEqual([layer.W.name, layer.b.name], ['h.W', 'h.b']);
  assert.deepEqual(layer.weights, [layer.W]);
  const again = new HiddenLayer(new nb.RandomStreams(7), 30, 20, { activation: 'sigmoid' });
  assert.deepEqual(again.W.get().data, W.data, 'same seed, same weights');

  layer.b.set(nb.array(Array.from({ length: 20 }, (_, j) => j / 10)));
  const x = nb.array(Array.from({ length: 3 }, (_, i) => Array.from({ length: 30 }, (_, k) => Math.sin(i + k))));
  const input = nb.matrix('x');
  const h = nb.fn([input], layer.forward(input))(x) as nb.NDArray;
  const b = layer.b.get();
  for (const [i, j] of [[0, 0], [1, 7], [2, 19]]) {
    let z = b.data[j];
    for (let k = 0; k < 30; k++) z += x.data[i * 30 + k] * W.data[k * 20 + j];
    assert.ok(Math.abs(h.get(i, j) - 1 / (1 + Math.exp(-z))) < 1e-5, `h[${i}, ${j}]`);
  }
});

test('LogisticLayer starts at zero, so every class is equally likely', () => {
  const layer = new LogisticLayer(5, 4);
  const x = nb.matrix('x');
  const p = nb.fn([x], layer.forward(x))(nb.array([[1, 2, 3, 4, 5]])) as nb.NDArray;
  assert.deepEqual(Array.from(p.data), [0.25, 0.25, 0.25, 0.25]);
});

test('ConvPoolLayer uses fan-in c·h·w and fan-out k·h·w / pool, and maps 28x28 images to 12x12', () => {
  const layer = new ConvPoolLayer(new nb.RandomStreams(3), [4, 1, 5, 5]);
  const bound = Math.sqrt(6 / (25 + (4 * 25) / 4));
  assert.ok(maxAbs(layer.W.get()) < bound && maxAbs(layer.W.get()) > 0.8 * bound);
  const x = nb.tensor4('x');
  const out = nb.fn([x], layer.forward(x))(nb.ones([2, 1, 28, 28])) as nb.NDArray;
  assert.deepEqual(out.shape, [2, 4, 12, 12]);
  const flat = nb.fn([x], new Flatten().forward(layer.forward(x)))(nb.ones([2, 1, 28, 28])) as nb.NDArray;
  assert.deepEqual(flat.shape, [2, 4 * 12 * 12]);
  assert.deepEqual(convPoolOutputShape([28, 28], [[5, 5], [5, 5]], [2, 2]), [4, 4]);
  assert.throws(() => convPoolOutputShape([28, 28], [[5, 5], [5, 5], [5, 5]], [2, 2]), /conv layer 2: 5x5 filters and 2x2 pooling leave no output from 4x4 maps/);
});

test('Dropout keeps each unit with probability p while training and scales by p while testing', () => {
  const drop = new Dropout(new nb.RandomStreams(11), 0.8);
  const x = nb.matrix('x');
  const ones = nb.ones([100, 50]);
  const train = nb.fn([x], drop.forward(x, 'train'));
  const first = train(ones) as nb.NDArray;
  const kept = Array.from(first.data).filter((v) => v === 1).length;
  assert.ok(Array.from(first.data).every((v) => v === 0 || v === 1), 'a binary mask');
  assert.ok(Math.abs(kept / first.size - 0.8) < 0.03, `kept ${kept} of ${first.size}`);
  const second = train(ones) as nb.NDArray;
  assert.notDeepEqual(second.data, first.data, 'a new mask each call');
  const test = nb.fn([x], drop.forward(x, 'test'))(ones) as nb.NDArray;
  assert.ok(Array.from(test.data).every((v) => Math.abs(v - 0.8) < 1e-7));
  assert.equal(new Dropout(new nb.RandomStreams(1), 1).forward(x, 'train'), x, 'keep 1 is the identity');
  assert.throws(() => new Dropout(new nb.RandomStreams(1), 0), /keep probability 0 must be in \(0, 1\]/);
});

test('activate names tanh, sigmoid, relu and linear, and rejects others', () => {
  const x = nb.vector('x');
  const values = nb.array([-1, 0, 2]);
  const run = (name: 'tanh' | 'sigmoid' | 'relu' | 'linear') => Array.from((nb.fn([x], activate(x, name))(values) as nb.NDArray).data);
  assert.deepEqual(run('relu'), [0, 0, 2]);
  assert.deepEqual(run('linear'), [-1, 0, 2]);
  assert.ok(Math.abs(run('tanh')[2] - Math.tanh(2)) < 1e-6);
  assert.ok(Math.abs(run('sigmoid')[0] - 1 / (1 + Math.E)) < 1e-6);
  assert.throws(() => activate(x, 'softsign' as never), /unknown activation 'softsign'/);
});
