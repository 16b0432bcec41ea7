// Activation maximization on small real models: the first layer's pictures are its normalized weight
// columns (a LeNet's normalized filters), gradient ascent on the first layer finds the same optimum, and a
// deeper unit's picture raises its pre-activation above that of every training image of the same norm.
import '../single-thread.js';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as nb from '../../src/index.js';
import { loadMnist } from '../../src/data/index.js';
import { Lenet, Mlp, chooseLayer, firstLayerImages, maximizeUnits, preActivations, sphere } from '../../src/models/index.js';

const { train } = loadMnist({ limit: { train: 1000, valid: 10, test: 10 } });
const mlp = new Mlp({ imageShape: [28, 28], classes: 10, hidden: [40, 30], activation: 'tanh', keep: [] }, 3);
mlp.fit(train.x, train.y, { epochs: 5, batchSize: 20, learningRate: 0.1, l2: 0 });
const NORM = 9;
const units = [0, 5, 11, 29];

test("the first layer's pictures are its weight columns, normalized; gradient ascent reaches the same optimum", () => {
  const W = mlp.params[0].value; // [784, 40]
  const { images, imageShape } = firstLayerImages(mlp, units);
  assert.deepEqual(imageShape, [28, 28]);
  units.forEach((u, k) => {
    const column = Array.from({ length: 784 }, (_, i) => W.data[i * 40 + u]);
    const norm = Math.hypot(...column);
    column.forEach((v, i) => assert.ok(Math.abs(images.data[k * 784 + i] - v / norm) < 1e-6));
  });
  const layer = chooseLayer(mlp, 1);
  const ascent = maximizeUnits(mlp, layer, units, { norm: NORM, steps: 200 });
  const closed = preActivations(mlp, layer, sphere(images, NORM), units);
  units.forEach((_, k) => {
    const best = closed.data[k * units.length + k];
    assert.ok(ascent.values[k] <= best + 1e-3 && ascent.values[k] > best - 0.01 * Math.abs(best), `${ascent.values[k]} vs ${best}`);
  });
});

test("a deeper unit's picture raises its pre-activation above every training image of the same norm", () => {
  for (const choice of [2, 'output'] as const) {
    const layer = chooseLayer(mlp, choice);
    const chosen = choice === 'output' ? [0, 3, 7] : units;
    const { images, values } = maximizeUnits(mlp, layer, chosen, { norm: NORM, starts: 3, steps: 150 });
    const own = preActivations(mlp, layer, sphere(images, NORM), chosen);
    const data = preActivations(mlp, layer, sphere(train.x, NORM), chosen);
    chosen.forEach((u, k) => {
      assert.ok(Math.abs(own.data[k * chosen.length + k] - values[k]) < 1e-3);
      let top = -Infinity;
      for (let r = 0; r < train.x.shape[0]; r++) top = Math.max(top, data.data[r * chosen.length + k]);
      assert.ok(values[k] > top, `${choice} unit ${u}: picture ${values[k]}, best training image ${top}`);
    });
  }
});

test("a LeNet's first-layer pictures are its normalized filters, and its conv units can be climbed", () => {
  const lenet = new Lenet({ imageShape: [28, 28], classes: 10, kernels: [4, 6], filter: [5, 5], pool: [2, 2], hidden: [20], activation: 'tanh' }, 5);
  const W = lenet.params[0].value; // [4, 1, 5, 5]
  const { images, imageShape } = firstLayerImages(lenet, [2]);
  assert.deepEqual(imageShape, [5, 5]);
  const filter = Array.from(W.data.subarray(50, 75));
  const norm = Math.hypot(...filter);
  filter.forEach((v, i) => assert.ok(Math.abs(images.data[i] - v / norm) < 1e-6));
  const layer = chooseLayer(lenet, 2);
  assert.deepEqual([layer.units, layer.conv], [6, true]);
  const { values } = maximizeUnits(lenet, layer, [0, 1], { norm: NORM, starts: 2, steps: 50 });
  const data = preActivations(lenet, layer, sphere(train.x, NORM), [0, 1]);
  values.forEach((v, k) => assert.ok(v > Math.max(...Array.from({ length: 1000 }, (_, r) => data.data[r * 2 + k]))));
});

test('layers and units out of range are refused in one line', () => {
  assert.throws(() => chooseLayer(mlp, 3), /^Error: layer 3: the mlp model has hidden layers 1 to 2 and output$/);
  assert.throws(() => firstLayerImages(mlp, [40]), /^Error: unit 40: layer 1 has 40 units \(0 to 39\)$/);
  const logreg = new nb.LogisticRegression({ imageShape: [28, 28], classes: 10 });
  assert.throws(() => chooseLayer(logreg, 1), /layer 1: the logreg model has no hidden layers and output/);
  assert.throws(() => maximizeUnits(mlp, chooseLayer(mlp, 2), [0], { norm: -1 }), /norm is -1; it must be > 0/);
});
