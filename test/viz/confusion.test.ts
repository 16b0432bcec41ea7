// Confusion matrices: counts per (true, predicted) pair, label checks, and the heat map's cells.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { array } from '../../src/ndarray/index.js';
import { confusionMatrix, writeConfusion } from '../../src/viz/confusion.js';
import { readPng } from './decode.js';

test('confusionMatrix counts true classes down and predictions across', () => {
  const predicted = [0, 1, 2, 2, 1, 0, 2];
  const actual = [0, 1, 1, 2, 1, 2, 2];
  const m = confusionMatrix(predicted, actual);
  assert.equal(m.dtype, 'int32');
  assert.deepEqual(m.toArray(), [
    [1, 0, 0],
    [0, 2, 1],
    [1, 0, 2],
  ]);
  assert.deepEqual(confusionMatrix(array(predicted, 'int32'), array(actual, 'int32'), 4).shape, [4, 4]);
});

test('confusionMatrix names the bad label', () => {
  assert.throws(() => confusionMatrix([0, 1], [0]), { message: 'confusionMatrix: 2 predictions for 1 true labels' });
  assert.throws(() => confusionMatrix([0, 3], [0, 1], 3), { message: 'confusionMatrix: predicted label 3 at index 1 is not an integer in [0, 3)' });
  assert.throws(() => confusionMatrix([0, 1], [0, -1]), { message: 'confusionMatrix: actual label -1 at index 1 is not a non-negative integer' });
  assert.throws(() => confusionMatrix(array([[0]]), [0]), { message: 'confusionMatrix: predicted is float32[1, 1], not a vector of class labels' });
});

test('writeConfusion shades the diagonal of a good classifier darkest, as SVG and PNG', async () => {
  const actual = Array.from({ length: 300 }, (_, i) => i % 3);
  const predicted = actual.map((t, i) => (i % 10 === 0 ? (t + 1) % 3 : t));
  const path = join(mkdtempSync(join(tmpdir(), 'nabla-confusion-')), 'confusion.png');
  const files = await writeConfusion(path, confusionMatrix(predicted, actual), { labels: ['cat', 'dog', 'bird'], title: 'test' });
  assert.equal(files.png, path);
  const svg = readFileSync(files.svg, 'utf8');
  for (const text of ['cat', 'bird', 'predicted', '>90<', '>10<']) assert.ok(svg.includes(text), `the SVG lacks ${text}`);
  const png = readPng(path);
  // Find the matrix by its darkest pixel: the diagonal cells are shaded close to the dark end of the scale.
  let darkest = 255 * 3;
  for (let y = 0; y < png.height; y++) {
    for (let x = 0; x < png.width; x++) darkest = Math.min(darkest, png.rgb(x, y).reduce((a, b) => a + b, 0));
  }
  assert.ok(darkest < 3 * 80, `no dark cell (darkest sum ${darkest})`);
  await assert.rejects(writeConfusion(path, array([[1, 2]], 'int32')), { message: 'confusionSpec: matrix is int32[1, 2], not square [k, k]' });
});
