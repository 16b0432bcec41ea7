// Model files checked before use: every hostile header or value of issue 18's list is refused with one
// line naming the file and the field, and a valid file still loads bit for bit.
import '../single-thread.js';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  LogisticRegression, decodeModel, loadClassifier, loadSequenceClassifier, metaChoice, pixelScaleOf,
} from '../../src/models/index.js';
import * as nb from '../../src/index.js';
import { forgeHeader, forgeValue, modelBytes, type Header } from '../fuzz/forge.js';

const dir = mkdtempSync(join(tmpdir(), 'nabla-model-bytes-'));
const model = new LogisticRegression({ imageShape: [4, 4], classes: 3 });
model.params[0].set(nb.array(Float32Array.from({ length: 48 }, (_, i) => Math.sin(i)), 'float32', [16, 3]));
const valid = modelBytes(model.toModelFile({ dataset: 'mnist' }));
const PATH = 'runs/x/model.nbm';

/** Decoding `bytes` fails with one line that starts with the file's path and matches `pattern`. */
function refused(bytes: Uint8Array, pattern: RegExp): void {
  assert.throws(() => decodeModel(bytes, PATH), (e: Error) => {
    assert.equal(e.constructor, Error, `${e.constructor.name}: ${e.message}`);
    assert.ok(!e.message.includes('\n'), e.message);
    assert.ok(e.message.startsWith(`${PATH}: `), e.message);
    assert.match(e.message, pattern);
    return true;
  });
}

const edit = (change: (h: Header) => void) => forgeHeader(valid, change);

test('a valid model file decodes to the same tensors, bit for bit', () => {
  const file = decodeModel(valid, PATH);
  assert.equal(file.kind, 'logreg');
  assert.deepEqual(file.tensors['logistic.W'].data, model.params[0].value.data);
  assert.equal(Object.getPrototypeOf(file.tensors), null, 'tensors by name, with no prototype to look names up in');
});

test('offsets, sizes and shapes must be in range, non-negative, integer and without overlap', () => {
  refused(edit((h) => { h.tensors['logistic.W'].offset = -8; }), /tensors\.logistic\.W\.offset is -8; expected a non-negative integer$/);
  refused(edit((h) => { h.tensors['logistic.W'].offset = 1.5; }), /tensors\.logistic\.W\.offset is 1\.5; expected a non-negative integer$/);
  refused(edit((h) => { h.tensors['logistic.b'].offset = 0; }), /tensors\.logistic\.(W|b)\.offset puts it at byte \d+, inside tensor logistic\.(W|b)/);
  refused(edit((h) => { h.tensors['logistic.W'].offset = 1e12; }), /truncated: tensor logistic\.W ends at byte/);
  refused(edit((h) => { h.tensors['logistic.W'].shape = [-16, 3]; }), /tensors\.logistic\.W\.shape is \[-16,3\]; expected a list of at most 16 non-negative integers$/);
  refused(edit((h) => { h.tensors['logistic.W'].shape = [16, 4]; }), /tensors\.logistic\.W\.bytes is 192, but float32\[16, 4\] takes 256$/);
  refused(edit((h) => { h.tensors['logistic.W'].bytes = '192'; }), /tensors\.logistic\.W\.bytes is "192"; expected a non-negative integer$/);
  const legacy = edit((h) => { delete h.checksum; }); // as written before files carried a checksum
  assert.equal(decodeModel(legacy, PATH).tensors['logistic.b'].size, 3);
  refused(Buffer.concat([legacy, Buffer.alloc(5)]), /5 bytes after the end of tensor logistic\.b \(byte \d+\) belong to no tensor$/);
  // Dropping the checksum from the header leaves its 4 bytes over, so that is caught too.
  refused(Buffer.concat([legacy, valid.subarray(-4)]), /4 bytes after the end of tensor logistic\.b \(byte \d+\) belong to no tensor$/);
  const huge = Buffer.from(valid);
  huge.writeBigUInt64LE(2n ** 63n);
  refused(huge, /not a nabla model file \(header of 9223372036854775808 bytes in a file of \d+\)$/);
  refused(legacy.subarray(0, legacy.length - 3), /truncated: tensor logistic\.b ends at byte \d+, the file has \d+$/);
});

test('a file changed after it was written (a flipped bit in a weight or the header, a cut) fails its checksum', () => {
  const flipped = Buffer.from(valid);
  flipped[valid.length - 20] ^= 0x04; // a bit of logistic.b: still a finite number
  refused(flipped, /damaged: its bytes give the CRC-32 0x[0-9a-f]{8}, not the 0x[0-9a-f]{8} stored when it was written$/);
  const header = Buffer.from(valid);
  header[valid.indexOf('"mnist"') + 1] ^= 0x01; // meta.dataset "mnist" -> "lnist": still JSON
  refused(header, /damaged: its bytes give the CRC-32/);
  refused(valid.subarray(0, valid.length - 3), /damaged: its bytes give the CRC-32/);
  refused(edit((h) => { h.checksum = 'md5'; }), /field checksum is "md5"; expected "crc32"$/);
});

test('kinds and dtypes come from closed lists: constructor and __proto__ reach no prototype', () => {
  for (const kind of ['constructor', '__proto__', 'toString', 42, null]) {
    const forged = edit((h) => { h.kind = kind; });
    refused(forged, new RegExp(`kind ${JSON.stringify(kind)} is not a kind of nabla model \\(logreg, mlp`));
    const path = join(dir, 'kind.nbm');
    writeFileSync(path, forged);
    assert.throws(() => loadClassifier(path), new RegExp(`^Error: ${path}: kind .* is not a kind of nabla model`));
    assert.throws(() => loadSequenceClassifier(path), new RegExp(`^Error: ${path}: kind .* is not a kind of nabla model`));
  }
  refused(edit((h) => { h.tensors['logistic.W'].dtype = 'float16'; }), /tensors\.logistic\.W\.dtype is "float16"; expected one of float32, float64, int32$/);
  refused(edit((h) => { h.tensors['logistic.W'].dtype = '__proto__'; }), /tensors\.logistic\.W\.dtype is "__proto__"/);
});

test('null or non-object tensors, config, meta and entries are refused by name', () => {
  refused(edit((h) => { h.tensors = null as never; }), /field tensors is null; expected a JSON object$/);
  refused(edit((h) => { h.config = null; }), /field config is null; expected a JSON object$/);
  refused(edit((h) => { h.config = [1, 2]; }), /field config is \[1,2\]; expected a JSON object$/);
  refused(edit((h) => { h.meta = 'x' as never; }), /field meta is "x"; expected a JSON object$/);
  refused(edit((h) => { h.tensors['logistic.W'] = null as never; }), /tensors\.logistic\.W is null; expected \{dtype, shape, offset, bytes\}$/);
  refused(Buffer.concat([Buffer.from([2, 0, 0, 0, 0, 0, 0, 0]), Buffer.from('[]')]), /not a nabla model file \(its header is not a JSON object\)$/);
});

test('a NaN or infinite weight is refused, naming the tensor and the position', () => {
  refused(forgeValue(valid, 'logistic.W', 7, NaN), /tensor logistic\.W holds NaN at \[2, 1\]; a model's values must be finite$/);
  refused(forgeValue(valid, 'logistic.b', 2, -Infinity), /tensor logistic\.b holds -Infinity at \[2\]/);
});

test('meta fields are type-checked where used: pixel_scale, an RNN-RBM\'s timing', () => {
  assert.equal(metaChoice(PATH, {}, 'timing', ['tempo-map', 'tutorial'], 'tempo-map'), 'tempo-map');
  assert.equal(metaChoice(PATH, { timing: 'tutorial' }, 'timing', ['tempo-map', 'tutorial'], 'tempo-map'), 'tutorial');
  assert.throws(() => metaChoice(PATH, { timing: 7 }, 'timing', ['tempo-map', 'tutorial'], 'tempo-map'),
    new RegExp(`^Error: ${PATH}: meta field timing is 7; expected one of tempo-map, tutorial$`));
  assert.equal(pixelScaleOf(PATH, {}), 255);
  assert.equal(pixelScaleOf(PATH, { pixel_scale: 256 }), 256);
  for (const bad of ['abc', 0, -255, '255', null]) {
    assert.throws(() => pixelScaleOf(PATH, { pixel_scale: bad }), new RegExp(`^Error: ${PATH}: meta field pixel_scale is .*; expected 255 or 256$`));
  }
});
