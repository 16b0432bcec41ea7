// t-SNE on 500 MNIST digits: both methods keep the digits' neighbourhoods (leave-one-out 10-NN accuracy
// of the map near that of the pixels) and lower the KL divergence; runs repeat exactly under a seed;
// duplicates land together; bad input gets one clear line. Plus the k-NN helpers on a case by hand.
import '../single-thread.js';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as nb from '../../src/index.js';
import { loadMnist } from '../../src/data/index.js';

const { x, y } = loadMnist({ limit: { train: 500, valid: 0, test: 0 } }).train;
const pixelAccuracy = nb.knnAccuracy(x, y.data);

for (const method of ['exact', 'barnes-hut'] as const) {
  test(`t-SNE (${method}) of 500 digits keeps neighbours: map 10-NN accuracy within 0.05 of the pixels', KL falls`, () => {
    const tsne = new nb.Tsne({ method, seed: 1 });
    const seen: number[] = [];
    const map = tsne.fitTransform(x, { onIteration: (p) => { if (p.kl !== undefined) seen.push(p.iteration); } });
    assert.deepEqual(map.shape, [500, 2]);
    assert.ok(map.data.every(Number.isFinite));
    const accuracy = nb.knnAccuracy(map, y.data);
    assert.ok(pixelAccuracy > 0.8, `pixels: ${pixelAccuracy}`);
    assert.ok(accuracy > pixelAccuracy - 0.05, `map ${accuracy} vs pixels ${pixelAccuracy}`);
    assert.deepEqual(seen, Array.from({ length: 20 }, (_, i) => 50 * (i + 1)));
    const after = tsne.klHistory.filter((h) => h.iteration > 250).map((h) => h.kl);
    assert.ok(after[after.length - 1] < after[0], `KL falls after the exaggeration: ${after[0]} → ${after[after.length - 1]}`);
    assert.ok(tsne.klDivergence! > 0 && tsne.klDivergence! < 1.5, `final KL ${tsne.klDivergence}`);
    assert.equal(tsne.meta.method, method);
    assert.equal(tsne.meta.reducedTo, 50);
  });
}

test('t-SNE repeats exactly under a seed, and duplicate points land together', () => {
  const few = new nb.NDArray('float64', [120, 784]);
  few.data.set(x.data.subarray(0, 100 * 784));
  few.data.set(x.data.subarray(0, 20 * 784), 100 * 784); // rows 100..119 repeat rows 0..19
  const run = () => new nb.Tsne({ perplexity: 10, init: 'random', seed: 5, method: 'barnes-hut' }).fitTransform(few);
  const [a, b] = [run(), run()];
  assert.deepEqual(Array.from(a.data), Array.from(b.data));
  let spread = 0;
  for (let i = 0; i < 120; i++) spread = Math.max(spread, Math.hypot(a.data[2 * i], a.data[2 * i + 1]));
  for (let i = 0; i < 20; i++) {
    const gap = Math.hypot(a.data[2 * i] - a.data[2 * (100 + i)], a.data[2 * i + 1] - a.data[2 * (100 + i) + 1]);
    assert.ok(gap < 0.05 * spread, `duplicate ${i} lies ${gap} from its twin (map radius ${spread})`);
  }
});

test('bad input: NaN by row and column, perplexity too large for N, a single point', () => {
  const bad = nb.array([[0, 1], [2, 3], [4, 5], [6, 7]], 'float64');
  bad.data[5] = NaN;
  assert.throws(() => new nb.Tsne({ perplexity: 1 }).fitTransform(bad), /^Error: Tsne.fitTransform: x\[2, 1\] is NaN \(row 2, column 1\)/);
  const four = nb.array([[0, 1], [2, 3], [4, 5], [6, 7]], 'float64');
  assert.throws(() => new nb.Tsne().fitTransform(four), /perplexity 30 is larger than N − 1 = 3; use fewer than 4/);
  assert.throws(() => new nb.Tsne({ perplexity: 1 }).fitTransform(nb.array([[1, 2]], 'float64')), /needs at least 2 points, got 1/);
  assert.throws(() => new nb.Tsne({ perplexity: -1 }), /perplexity must be a positive number, got -1/);
  assert.throws(() => new nb.Tsne({ method: 'fast' as 'exact' }), /method must be auto, exact or barnes-hut, got fast/);
});

test('nearestNeighbours and knnAccuracy on points on a line', () => {
  const line = nb.array([[0], [1], [3], [7], [8]], 'float64');
  const { indices, distances } = nb.nearestNeighbours(line, 2);
  assert.deepEqual(Array.from(indices), [1, 2, 0, 2, 1, 0, 4, 2, 3, 2]);
  assert.deepEqual(Array.from(distances), [1, 9, 1, 4, 4, 9, 1, 16, 1, 25]);
  // Labels 0 0 0 1 1: with 1 neighbour every point's nearest shares its label.
  assert.equal(nb.knnAccuracy(line, [0, 0, 0, 1, 1], 1), 1);
  // With 3 neighbours point 3 (at 7) hears 8 (1), 3 (0), 1 (0): the majority is wrong.
  assert.equal(nb.knnAccuracy(line, [0, 0, 0, 1, 1], 3), 3 / 5);
  assert.throws(() => nb.nearestNeighbours(line, 5), /k must be from 1 to N − 1 = 4, got 5/);
});
