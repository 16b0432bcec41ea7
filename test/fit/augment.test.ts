// Data augmentation: the same (seed, epoch) gives the same images and another epoch other ones; nothing
// asked changes nothing; shifts and small rotations move a digit without losing its ink; noise has the
// asked spread; a bad --augment spec is refused naming the part.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadMnist } from '../../src/data/index.js';
import { augmentImages, parseAugment } from '../../src/fit/index.js';
import { NDArray } from '../../src/ndarray/index.js';

const { test: digits } = loadMnist({ limit: { train: 10, valid: 10, test: 50 } });
const image = (data: Float32Array, k: number) => Array.from(data.subarray(k * 784, (k + 1) * 784));
const ink = (data: Float32Array, k: number) => image(data, k).reduce((a, b) => a + b, 0);

test('augmentation is a function of (seed, epoch), and empty options leave the images as they are', () => {
  const options = { shift: 2, rotate: 10, noise: 0.1 };
  const a = augmentImages(digits.x, [28, 28], options, 7, 3);
  assert.deepEqual(augmentImages(digits.x, [28, 28], options, 7, 3).data, a.data);
  assert.notDeepEqual(augmentImages(digits.x, [28, 28], options, 7, 4).data, a.data);
  assert.deepEqual(augmentImages(digits.x, [28, 28], {}, 7, 3).data, digits.x.data);
});

test('shifts and rotations move the digits but keep their ink; noise has the asked spread', () => {
  const moved = augmentImages(digits.x, [28, 28], { shift: 2, rotate: 10 }, 1, 1);
  let changed = 0;
  for (let k = 0; k < 50; k++) {
    const [before, after] = [ink(digits.x.data as Float32Array, k), ink(moved.data as Float32Array, k)];
    assert.ok(Math.abs(after - before) / before < 0.1, `image ${k}: ink ${before} became ${after}`);
    const original = image(digits.x.data as Float32Array, k);
    changed += image(moved.data as Float32Array, k).some((v, i) => Math.abs(v - original[i]) > 0.5) ? 1 : 0;
  }
  assert.equal(changed, 50);
  // Noise on a mid-grey image: no clipping, so the spread is the asked one.
  const grey = new NDArray('float32', [50, 784], new Float32Array(50 * 784).fill(0.5));
  const noisy = augmentImages(grey, [28, 28], { noise: 0.1 }, 1, 1);
  const diffs = Array.from(noisy.data, (v) => v - 0.5);
  const mean = diffs.reduce((a, b) => a + b, 0) / diffs.length;
  const std = Math.sqrt(diffs.reduce((a, b) => a + (b - mean) ** 2, 0) / diffs.length);
  assert.ok(Math.abs(mean) < 0.005 && Math.abs(std - 0.1) < 0.005, `mean ${mean}, std ${std}`);
});

test('a bad --augment spec names the part that is wrong', () => {
  assert.deepEqual(parseAugment('shift=2,noise=0.05'), { shift: 2, noise: 0.05 });
  assert.throws(() => parseAugment('shift=2,flip=1'), /^Error: --augment: 'flip=1' is not shift=PIXELS, rotate=DEGREES or noise=STD/);
  assert.throws(() => parseAugment('rotate=-5'), /'rotate=-5' is not/);
});
