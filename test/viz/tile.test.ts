// tileRasterImages: tile placement, black spacing and per-image scaling as in the LISA-lab tutorial.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NDArray, array } from '../../src/ndarray/index.js';
import { firstChannel, tileConvFilters, tileRasterImages } from '../../src/viz/tile.js';
import { writePng } from '../../src/viz/png.js';
import { readPng } from './decode.js';

// Three 2x3 images: image k has value 10k + i at flat position i, so each one is a ramp from 10k to 10k + 5.
const X = new NDArray('float32', [3, 6], Float32Array.from({ length: 18 }, (_, j) => 10 * Math.floor(j / 6) + (j % 6)));

test('tileRasterImages places scaled images row-major with black spacing, as the tutorial does', () => {
  const out = tileRasterImages(X, [2, 3], [2, 2], [1, 1]);
  assert.deepEqual(out.shape, [5, 7]); // (2 + 1) * 2 - 1 by (3 + 1) * 2 - 1
  const rows = out.toArray() as number[][];
  const ramp = (i: number) => Math.fround(i / (5 + 1e-8));
  // Tile (0, 0) is image 0, tile (0, 1) image 1, tile (1, 0) image 2; tile (1, 1) has no image and stays black.
  assert.deepEqual(rows[0].slice(0, 3), [0, ramp(1), ramp(2)]);
  assert.deepEqual(rows[1].slice(4, 7), [ramp(3), ramp(4), ramp(5)]);
  assert.deepEqual(rows[4].slice(0, 3), [ramp(3), ramp(4), ramp(5)]);
  assert.deepEqual(rows[2], [0, 0, 0, 0, 0, 0, 0]); // spacing row
  assert.deepEqual(rows.map((r) => r[3]), [0, 0, 0, 0, 0]); // spacing column
  assert.deepEqual(rows[3].slice(4), [0, 0, 0]); // empty tile
});

test('tileRasterImages without scaling copies values, and writes as a PNG of the same size', () => {
  const unit = new NDArray('float32', [2, 4], Float32Array.from([0, 0.2, 0.4, 1, 1, 0.6, 0.4, 0]));
  const out = tileRasterImages(unit, [2, 2], [1, 2], [0, 2], { scaleRowsToUnitInterval: false });
  assert.deepEqual(out.toArray(), [
    [0, Math.fround(0.2), 0, 0, 1, Math.fround(0.6)],
    [Math.fround(0.4), 1, 0, 0, Math.fround(0.4), 0],
  ]);
  const path = join(mkdtempSync(join(tmpdir(), 'nabla-tile-')), 'tiles.png');
  writePng(path, out);
  const png = readPng(path);
  assert.deepEqual([png.width, png.height], [6, 2]);
  assert.deepEqual(png.rgb(4, 0), [255, 255, 255]);
  assert.deepEqual(png.rgb(2, 0), [0, 0, 0]);
});

test('a constant image scales to black rather than dividing by zero', () => {
  const out = tileRasterImages(array([[3, 3, 3, 3]]), [2, 2], [1, 1]);
  assert.deepEqual(Array.from(out.data), [0, 0, 0, 0]);
});

test('firstChannel and tileConvFilters take channel 0 of [k, c, h, w] filters', () => {
  // Two filters, two channels of 2x2: channel 0 of filter f holds f*100 + 0..3, channel 1 holds 999.
  const W = new NDArray('float32', [2, 2, 2, 2], Float32Array.from({ length: 16 }, (_, j) => (j % 8 < 4 ? 100 * Math.floor(j / 8) + (j % 4) : 999)));
  assert.deepEqual(firstChannel(W).toArray(), [[0, 1, 2, 3], [100, 101, 102, 103]]);
  const tiles = tileConvFilters(W);
  assert.deepEqual(tiles.shape, [2, 5]); // a near-square grid for 2 filters: one row of two
  assert.equal(tiles.get(1, 1), Math.fround(3 / (3 + 1e-8)));
});

test('tileRasterImages names the shapes that do not fit', () => {
  assert.throws(() => tileRasterImages(X, [28, 28], [1, 1]), {
    message: 'tileRasterImages: X is float32[3, 6] but imgShape [28, 28] needs [n, 784]',
  });
  assert.throws(() => tileRasterImages(new NDArray('float32', [1, 1, 2, 3]), [2, 3], [1, 1]), {
    message: 'tileRasterImages: X is float32[1, 1, 2, 3] but imgShape [2, 3] needs [n, 6]; for conv filters [k, c, h, w] use tileConvFilters',
  });
  assert.throws(() => tileRasterImages(X, [2, 3], [0, 2]), { message: 'tileRasterImages: tileShape [0, 2] and tileSpacing [1, 1] give no picture' });
});
