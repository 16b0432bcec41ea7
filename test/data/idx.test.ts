// IDX reading and writing: round trips raw and gzipped, every value type, and each error message.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { array } from '../../src/ndarray/index.js';
import { decodeIdx, encodeIdx, parseIdx, readIdx, readIdxFile, writeIdx, type IdxType } from '../../src/data/idx.js';

const dir = mkdtempSync(join(tmpdir(), 'nabla-idx-'));
const images = array([[[0, 255], [128, 1]], [[7, 8], [9, 10]], [[11, 12], [13, 14]]], 'int32'); // [3, 2, 2]

test('writeIdx then readIdx round-trips ubyte images, raw and gzipped', () => {
  for (const file of ['images-idx3-ubyte', 'nested/images-idx3-ubyte.gz']) {
    const path = join(dir, file);
    writeIdx(path, images);
    const back = readIdx(path);
    assert.equal(back.dtype, 'int32');
    assert.deepEqual(back.shape, [3, 2, 2]);
    assert.deepEqual(Array.from(back.data), Array.from(images.data));
  }
});

test('encodeIdx writes the big-endian header MNIST readers expect', () => {
  const bytes = encodeIdx(array([3, 1, 4], 'int32'));
  assert.deepEqual(Array.from(bytes), [0, 0, 8, 1, 0, 0, 0, 3, 3, 1, 4]);
});

test('readIdx with scale gives float32 pixels in [0, 1], and float64 on request', () => {
  const path = join(dir, 'scaled-idx3-ubyte');
  writeIdx(path, images);
  const x = readIdx(path, { scale: true });
  assert.equal(x.dtype, 'float32');
  assert.equal(x.data[0], 0);
  assert.equal(x.data[1], 1);
  assert.equal(x.data[2], Math.fround(128 / 255));
  assert.equal(readIdx(path, { scale: true, dtype: 'float64' }).data[2], 128 / 255);
});

test('writeIdx with scale maps [0, 1] pixels to bytes', () => {
  const x = array([0, 0.5, 1], 'float32');
  assert.deepEqual(Array.from(encodeIdx(x, 'x', { scale: true }).subarray(8)), [0, 128, 255]);
});

test('every IDX type round-trips with its default dtype', () => {
  const cases: [IdxType, number[], string][] = [
    ['ubyte', [0, 200, 255], 'int32'],
    ['byte', [-128, -1, 127], 'int32'],
    ['short', [-32768, 1234, 32767], 'int32'],
    ['int', [-2147483648, 123456789, 2147483647], 'int32'],
    ['float', [-1.5, 0.25, 3e10], 'float32'],
    ['double', [-1e-300, Math.PI, 1e300], 'float64'],
  ];
  for (const [type, values, dtype] of cases) {
    const source = array(values, type === 'double' ? 'float64' : type === 'float' ? 'float32' : 'int32');
    const back = parseIdx(encodeIdx(source, type, { type }), type);
    assert.equal(back.dtype, dtype, type);
    assert.deepEqual(Array.from(back.data), Array.from(source.data), type);
  }
});

test('decodeIdx decodes a range of rows only', () => {
  const file = readIdxFile(join(dir, 'images-idx3-ubyte'), { type: 'ubyte', rank: 3 });
  const part = decodeIdx(file, { rows: [1, 3] });
  assert.deepEqual(part.shape, [2, 2, 2]);
  assert.deepEqual(Array.from(part.data), [7, 8, 9, 10, 11, 12, 13, 14]);
  assert.throws(() => decodeIdx(file, { rows: [2, 4] }), {
    message: 'images-idx3-ubyte: rows [2, 4) are not a range within the 3 rows of the file',
  });
});

test('errors name the file and the problem', () => {
  const good = encodeIdx(images); // 4 + 12 header bytes + 12 values = 28
  const name = 'train-images-idx3-ubyte';
  const fails = (bytes: Uint8Array, message: string, options = {}) =>
    assert.throws(() => parseIdx(bytes, name, options), { message });

  fails(good.subarray(0, 20), `${name}: truncated at byte 20, expected 28`);
  fails(good.subarray(0, 10), `${name}: truncated at byte 10, expected 16`);
  fails(good.subarray(0, 2), `${name}: truncated at byte 2, expected 4`);
  fails(gzipSync(good.subarray(0, 20)), `${name}: truncated at byte 20, expected 28`);
  fails(Uint8Array.from([...good, 1, 2]), `${name}: 2 trailing bytes after byte 28 (the header describes ubyte[3, 2, 2])`);
  fails(Uint8Array.from([0x89, 0x50, 0x4e, 0x47, ...good]), `${name}: wrong magic number 0x89504e47, expected 0x0000???? (two zero bytes, a type code and the rank)`);
  fails(good, `${name}: wrong magic number 0x00000803 (ubyte, rank 3), expected 0x00000801 (ubyte, rank 1)`, { type: 'ubyte', rank: 1 });
  fails(good, `${name}: wrong magic number 0x00000803 (ubyte, rank 3), expected 0x00000c?? (int)`, { type: 'int' });
  const badCode = Uint8Array.from(good);
  badCode[2] = 0x07;
  fails(
    badCode,
    `${name}: unknown IDX type code 0x07 in magic number 0x00000703 (known: 0x08 ubyte, 0x09 byte, 0x0b short, 0x0c int, 0x0d float, 0x0e double)`,
  );
  fails(gzipSync(good).subarray(0, 15), `${name}: gzip data is corrupt (unexpected end of file)`);
  fails(encodeIdx(array([1], 'int32'), 'x', { type: 'short' }), `${name}: scale maps ubyte pixels to [0, 1], but the file holds short values`, { scale: true });
  fails(good, `${name}: scale gives fractions, which dtype int32 cannot hold`, { scale: true, dtype: 'int32' });
});

test('writeIdx refuses values its type cannot hold', () => {
  assert.throws(() => writeIdx(join(dir, 'bad-idx1-ubyte'), array([1, 256], 'int32')), {
    message: 'bad-idx1-ubyte: value 256 at index 1 is not a ubyte (integers 0..255)',
  });
  assert.throws(() => encodeIdx(array([0.5], 'float32'), 'x'), { message: 'x: value 0.5 at index 0 is not a ubyte (integers 0..255)' });
  assert.throws(() => encodeIdx(array([1.5], 'float32'), 'x', { scale: true }), {
    message: 'x: value 1.5 (scaled to 383) at index 0 is not a ubyte (integers 0..255)',
  });
  assert.throws(() => encodeIdx(array([1], 'int32'), 'x', { type: 'int', scale: true }), { message: 'x: scale writes ubyte pixels, not int' });
});

test('readIdx reports a missing file with its path', () => {
  const path = join(dir, 'absent-idx1-ubyte');
  assert.throws(() => readIdx(path), (e: Error) => e.message.includes(path));
  writeFileSync(join(dir, 'empty'), '');
  assert.throws(() => readIdx(join(dir, 'empty')), { message: 'empty: truncated at byte 0, expected 4' });
});
