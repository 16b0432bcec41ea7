// Inputs checked at the door (issue 18): gzipped IDX files inflated no further than their header
// declares, float values that are NaN or infinite named by position, labels outside the class count
// refused by file and index (or the count given), and NaN in training or prediction inputs named.
import '../single-thread.js';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { encodeIdx, loadMnist, parseIdx, writeIdx } from '../../src/data/index.js';
import { LogisticRegression } from '../../src/models/index.js';
import { NDArray } from '../../src/ndarray/index.js';

/** IDX header bytes: ubyte (or `code`) values of `shape`. */
function idxHeader(shape: number[], code = 0x08): Buffer {
  const header = Buffer.alloc(4 + 4 * shape.length);
  header.writeUInt32BE((code << 8) | shape.length, 0);
  shape.forEach((d, i) => header.writeUInt32BE(d, 4 + 4 * i));
  return header;
}

test('a gzipped IDX file that inflates past what its header declares stops at the declared size', () => {
  // 64 MB of zeros behind a header declaring 10 images of 28x28 (7,856 bytes): about 64 KB of gzip.
  const bomb = gzipSync(Buffer.concat([idxHeader([10, 28, 28]), Buffer.alloc(64 << 20)]));
  assert.ok(bomb.length < 200_000);
  assert.throws(() => parseIdx(bomb, 'bomb-idx3-ubyte.gz'),
    /^Error: bomb-idx3-ubyte\.gz: trailing bytes: the gzip data inflate to more than the ubyte\[10, 28, 28\], 7856 bytes its header declares$/);
  // One byte too many is still counted exactly.
  const one = gzipSync(Buffer.concat([idxHeader([2]), Buffer.from([1, 2, 3])]));
  assert.throws(() => parseIdx(one, 'one.gz'), /^Error: one\.gz: 1 trailing bytes after byte 10 \(the header describes ubyte\[2\]\)$/);
});

test('a gzipped IDX header claiming more than its bytes can inflate to is refused before inflating', () => {
  const claim = gzipSync(Buffer.concat([idxHeader([60000, 28000, 28]), Buffer.alloc(1000)]));
  assert.throws(() => parseIdx(claim, 'claim.gz'),
    new RegExp(`^Error: claim\\.gz: the header declares ubyte\\[60000, 28000, 28\\], 47040000016 bytes, more than ${claim.length} bytes of gzip data can hold$`));
  // A valid gzipped file still reads, values and all.
  const values = new NDArray('int32', [2, 3], Int32Array.from([1, 2, 3, 4, 5, 250]));
  assert.deepEqual(parseIdx(gzipSync(encodeIdx(values)), 'ok.gz').toArray(), [[1, 2, 3], [4, 5, 250]]);
});

test('NaN or infinite float values in an IDX file are refused with their position', () => {
  const floats = encodeIdx(new NDArray('float32', [2, 3], Float32Array.from([0, 1, 2, 3, NaN, 5])), 'x', { type: 'float' });
  assert.throws(() => parseIdx(floats, 'features-idx2-float'), /^Error: features-idx2-float: value NaN at \[1, 1\]; data must be finite numbers$/);
  // Decoding only the rows after the bad one is fine; the position is the file's, not the slice's.
  assert.deepEqual(parseIdx(floats, 'f', { rows: [0, 1] }).toArray(), [[0, 1, 2]]);
  const doubles = encodeIdx(new NDArray('float64', [3], Float64Array.from([0, 1, -Infinity])), 'x', { type: 'double' });
  assert.throws(() => parseIdx(doubles, 'd', { rows: [1, 3] }), /^Error: d: value -Infinity at \[2\]; data must be finite numbers$/);
});

/** A folder of MNIST-named files: 20 train and 10 test images of 2x2, with the labels given. */
function labelled(train: number[], testLabels: number[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'nabla-labels-'));
  const images = (n: number) => new NDArray('int32', [n, 2, 2], Int32Array.from({ length: 4 * n }, (_, i) => i % 256));
  writeIdx(join(dir, 'train-images-idx3-ubyte'), images(train.length));
  writeIdx(join(dir, 'train-labels-idx1-ubyte'), new NDArray('int32', [train.length], Int32Array.from(train)));
  writeIdx(join(dir, 't10k-images-idx3-ubyte'), images(testLabels.length));
  writeIdx(join(dir, 't10k-labels-idx1-ubyte'), new NDArray('int32', [testLabels.length], Int32Array.from(testLabels)));
  return dir;
}

test('a label outside the class count is refused, naming the file and the index, unless the count is given', () => {
  const digits = Array.from({ length: 20 }, (_, i) => i % 10);
  const stray = labelled(digits.map((d, i) => (i === 13 ? 12 : d)), digits.slice(0, 10));
  assert.throws(() => loadMnist({ dir: stray, validationSize: 5 }), new RegExp(
    `^Error: ${join(stray, 'train-labels-idx1-ubyte')}: label 12 at index 13 leaves classes 10, 11 without a training example; ` +
      'if the data have 13 classes, give that count \\(--classes 13\\)$'));
  assert.throws(() => loadMnist({ dir: stray, validationSize: 5, classes: 10 }),
    new RegExp(`^Error: ${join(stray, 'train-labels-idx1-ubyte')}: label 12 at index 13 is not one of the 10 classes \\(0 to 9\\)$`));
  assert.equal(loadMnist({ dir: stray, validationSize: 5, classes: 13 }).classes, 13);
  const strayTest = labelled(digits, [...digits.slice(0, 9), 12]);
  assert.throws(() => loadMnist({ dir: strayTest, validationSize: 5 }),
    new RegExp(`^Error: ${join(strayTest, 't10k-labels-idx1-ubyte')}: label 12 at index 9 is not one of the 10 classes \\(0 to 9\\)$`));
  assert.equal(loadMnist({ dir: labelled(digits, digits.slice(0, 10)), validationSize: 5 }).classes, 10);
});

test('NaN in training images is named by position, not reported as a diverged training', () => {
  const x = new NDArray('float32', [20, 16], Float32Array.from({ length: 320 }, (_, i) => (i % 7) / 7));
  const y = new NDArray('int32', [20], Int32Array.from({ length: 20 }, (_, i) => i % 3));
  x.data[5 * 16 + 9] = NaN;
  const model = new LogisticRegression({ imageShape: [4, 4], classes: 3 });
  assert.throws(() => model.fit(x, y, { epochs: 1, batchSize: 5 }), /the training images: x\[5, 9\] is NaN \(row 5, column 9\); remove or fill it first$/);
  assert.throws(() => model.predict(x), /^Error: logreg: the images to classify: x\[5, 9\] is NaN \(row 5, column 9\)/);
});
