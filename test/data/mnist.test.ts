// loadMnist: the tutorial split of the real files, folders of small fixtures, and its error messages.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NDArray } from '../../src/ndarray/index.js';
import { writeIdx } from '../../src/data/idx.js';
import { loadMnist } from '../../src/data/mnist.js';

/**
 * A folder of MNIST-named files with n train and m test images of size h x w; image i is filled
 * with i, label i % 10.
 */
function fixture(n: number, m: number, [h, w]: [number, number], { gzip = false, labelsN = n } = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'nabla-mnist-'));
  const ext = gzip ? '.gz' : '';
  const images = (count: number) => new NDArray('int32', [count, h, w], Int32Array.from({ length: count * h * w }, (_, k) => Math.floor(k / (h * w))));
  const labels = (count: number) => new NDArray('int32', [count], Int32Array.from({ length: count }, (_, i) => i % 10));
  writeIdx(join(dir, `train-images-idx3-ubyte${ext}`), images(n));
  writeIdx(join(dir, `train-labels-idx1-ubyte${ext}`), labels(labelsN));
  writeIdx(join(dir, `t10k-images-idx3-ubyte${ext}`), images(m));
  writeIdx(join(dir, `t10k-labels-idx1-ubyte${ext}`), labels(m));
  return dir;
}

test('loadMnist splits the real MNIST 50,000 / 10,000 / 10,000 with pixels in [0, 1]', () => {
  const { train, valid, test: testSet, imageShape } = loadMnist();
  assert.deepEqual(imageShape, [28, 28]);
  for (const [split, n] of [[train, 50000], [valid, 10000], [testSet, 10000]] as const) {
    assert.equal(split.x.dtype, 'float32');
    assert.equal(split.y.dtype, 'int32');
    assert.deepEqual(split.x.shape, [n, 784]);
    assert.deepEqual(split.y.shape, [n]);
    let min = Infinity;
    let max = -Infinity;
    for (const v of split.x.data) {
      if (v < min) min = v;
      if (v > max) max = v;
    }
    assert.equal(min, 0);
    assert.equal(max, 1);
    assert.ok(split.y.data.every((label) => label >= 0 && label <= 9));
  }
  assert.equal(train.y.data[0], 5); // the famous first training digit
  assert.equal(testSet.y.data[0], 7);
});

test('loadMnist reads gzipped fixtures of any image size, with validationSize and limits', () => {
  const dir = fixture(12, 5, [3, 2], { gzip: true });
  try {
    const data = loadMnist({ dir, validationSize: 4 });
    assert.deepEqual(data.imageShape, [3, 2]);
    assert.deepEqual(data.train.x.shape, [8, 6]);
    assert.deepEqual(data.valid.x.shape, [4, 6]);
    assert.deepEqual(data.test.x.shape, [5, 6]);
    assert.equal(data.valid.x.data[0], Math.fround(8 / 255)); // validation is the tail of the training file
    assert.deepEqual(Array.from(data.valid.y.data), [8, 9, 0, 1]);
    const small = loadMnist({ dir, validationSize: 4, limit: { train: 2, test: 3 } });
    assert.deepEqual([small.train.x.shape[0], small.valid.x.shape[0], small.test.x.shape[0]], [2, 4, 3]);
    assert.deepEqual(loadMnist({ dir, validationSize: 4, limit: 1 }).valid.y.shape, [1]);
  } finally {
    rmSync(dir, { recursive: true });
  }
});

test('loadMnist names the folder and every missing file', () => {
  const dir = fixture(3, 2, [2, 2]);
  try {
    rmSync(join(dir, 'train-labels-idx1-ubyte'));
    rmSync(join(dir, 't10k-images-idx3-ubyte'));
    assert.throws(() => loadMnist({ dir }), {
      message: `loadMnist: folder ${dir} lacks train-labels-idx1-ubyte[.gz], t10k-images-idx3-ubyte[.gz]`,
    });
  } finally {
    rmSync(dir, { recursive: true });
  }
});

test('loadMnist names both files when image and label counts differ', () => {
  const dir = fixture(3, 2, [2, 2], { labelsN: 4 });
  try {
    assert.throws(() => loadMnist({ dir, validationSize: 1 }), {
      message: `loadMnist: ${join(dir, 'train-images-idx3-ubyte')} holds 3 images but ${join(dir, 'train-labels-idx1-ubyte')} holds 4 labels`,
    });
  } finally {
    rmSync(dir, { recursive: true });
  }
});

test('loadMnist rejects a validation set larger than the training file; by default a sixth of it validates', () => {
  const dir = fixture(3, 2, [2, 2]);
  try {
    assert.throws(() => loadMnist({ dir, validationSize: 4 }), { message: 'loadMnist: validationSize 4 must be an integer from 0 to 3' });
    const data = loadMnist({ dir });
    assert.deepEqual([data.validationSize, data.train.y.size, data.valid.y.size], [1, 2, 1]);
    assert.throws(() => loadMnist({ dir, validationSize: 1, limit: -1 }), {
      message: `loadMnist: limit for train -1 must be an integer from 0 to ${Number.MAX_SAFE_INTEGER}`,
    });
  } finally {
    rmSync(dir, { recursive: true });
  }
});
