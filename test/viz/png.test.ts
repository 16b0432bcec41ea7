// writePng: grayscale and RGB NDArrays come back from pngjs with their pixels.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { array } from '../../src/ndarray/index.js';
import { writePng } from '../../src/viz/png.js';
import { readPng } from './decode.js';

const dir = mkdtempSync(join(tmpdir(), 'nabla-png-'));

test('writePng writes a grayscale [h, w] array, clipping to [0, 1], into a new folder', () => {
  const path = join(dir, 'deep/er/gray.png');
  writePng(path, array([[0, 0.5, 1], [-2, 2, 0.25]]));
  const png = readPng(path);
  assert.deepEqual([png.width, png.height, png.colorType], [3, 2, 0]);
  assert.deepEqual([0, 1, 2].map((x) => png.rgb(x, 0)[0]), [0, 128, 255]);
  assert.deepEqual([0, 1, 2].map((x) => png.rgb(x, 1)[0]), [0, 255, 64]);
});

test('writePng writes an RGB [h, w, 3] array', () => {
  writePng(join(dir, 'rgb.png'), array([[[1, 0, 0], [0, 1, 0]]], 'float64'));
  const rgb = readPng(join(dir, 'rgb.png'));
  assert.deepEqual([rgb.width, rgb.height, rgb.colorType], [2, 1, 2]);
  assert.deepEqual(rgb.rgb(0, 0), [255, 0, 0]);
  assert.deepEqual(rgb.rgb(1, 0), [0, 255, 0]);
});

test('writePng names the problem with a bad image', () => {
  const path = join(dir, 'bad.png');
  assert.throws(() => writePng(path, array([1, 2, 3])), { message: `writePng ${path}: image float32[3] must be [height, width] or [height, width, 3]` });
  assert.throws(() => writePng(path, array([[0, 1], [NaN, 0]])), { message: `writePng ${path}: image float32[2, 2] holds NaN at row 1, column 0` });
});
