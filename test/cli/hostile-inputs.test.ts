// Issue 18's hostile model files and inputs through the command line, as a user meets them: each is one
// line on standard error naming the file and the field or position at fault, and exit code 1.
import '../single-thread.js';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { encodeIdx, loadMnist } from '../../src/data/index.js';
import { LogisticRegression, Rbm, loadModelFile } from '../../src/index.js';
import { NDArray } from '../../src/ndarray/index.js';
import { encodePng } from '../../src/viz/index.js';
import { readImages } from '../../src/cli/read-images.js';
import { forgeHeader, forgeValue, modelBytes } from '../fuzz/forge.js';
import { assertOneLineError, copyFolder, lastJson, makeIdxFolder, nabla } from './fixtures.js';

const out = mkdtempSync(join(tmpdir(), 'nabla-hostile-'));
const { train } = loadMnist({ limit: { train: 500, valid: 10, test: 10 } });
const logreg = new LogisticRegression({ imageShape: [28, 28], classes: 10 });
logreg.fit(train.x, train.y, { epochs: 1, batchSize: 100 });
const valid = modelBytes(logreg.toModelFile({ dataset: 'mnist' }));
const digit = join(out, 'digit.png');
writeFileSync(digit, encodePng(new NDArray('float32', [28, 28], train.x.data.slice(0, 784))));

/** A file in the test folder holding `bytes`. */
function file(name: string, bytes: Uint8Array): string {
  const path = join(out, name);
  writeFileSync(path, bytes);
  return path;
}

test('corrupt model files: a negative offset, a NaN weight, pixel_scale "abc", kind constructor (and a workload)', () => {
  const negative = file('negative.nbm', forgeHeader(valid, (h) => { h.tensors['logistic.W'].offset = -8; }));
  assertOneLineError(nabla('eval', negative), new RegExp(`^nabla: ${negative}: tensors\\.logistic\\.W\\.offset is -8; expected a non-negative integer$`));
  const nan = file('nan.nbm', forgeValue(valid, 'logistic.W', 100, NaN));
  assertOneLineError(nabla('predict', nan, digit), new RegExp(`^nabla: ${nan}: tensor logistic\\.W holds NaN at \\[10, 0\\]; a model's values must be finite$`));
  const scale = file('scale.nbm', forgeHeader(valid, (h) => { h.meta.pixel_scale = 'abc'; }));
  assertOneLineError(nabla('predict', scale, digit), new RegExp(`^nabla: ${scale}: meta field pixel_scale is "abc"; expected 255 or 256$`));
  const kind = file('kind.nbm', forgeHeader(valid, (h) => { h.kind = 'constructor'; }));
  assertOneLineError(nabla('eval', kind), new RegExp(`^nabla: ${kind}: kind "constructor" is not a kind of nabla model \\(logreg, mlp,`));
  assertOneLineError(nabla('bench', 'constructor'), /^nabla: unknown workload constructor; choose from /);
  const untouched = nabla('predict', file('valid.nbm', valid), digit);
  assert.equal(untouched.status, 0, untouched.stderr);
});

test('a data path in a model file is a hint: eval and sample ask for --dataset instead of reading it', () => {
  const elsewhere = file('elsewhere.nbm', forgeHeader(valid, (h) => { h.meta.dataset = '/etc'; }));
  assertOneLineError(nabla('eval', elsewhere), new RegExp(`^nabla: ${elsewhere}: was trained on "/etc", not mnist; a path read from a model file is never opened on its own, so name the data with --dataset$`));
  const rbm = join(out, 'rbm.nbm');
  new Rbm({ visible: 784, hidden: 4, k: 1 }).save(rbm, { dataset: '/etc' });
  assertOneLineError(nabla('sample', rbm, '--out', join(out, 'samples')), new RegExp(`^nabla: ${rbm}: was trained on "/etc", not mnist; .* with --dataset$`));
});

test('images: a non-PNG .png, a PNG claiming 15000x15000 pixels, a gzip bomb of an IDX file', () => {
  const model = file('model.nbm', valid);
  const fake = file('fake.png', encodeIdx(new NDArray('int32', [28, 28])));
  assertOneLineError(nabla('predict', model, fake), /^nabla: fake\.png: not a PNG file \(it does not start with PNG's 8-byte signature\)$/);
  const huge = Buffer.from(readFileSync(digit));
  huge.writeUInt32BE(15000, 16);
  huge.writeUInt32BE(15000, 20);
  assertOneLineError(nabla('predict', model, file('huge.png', huge)), /^nabla: huge\.png: images are 15000x15000 pixels, but the model reads 28x28$/);
  assert.throws(() => readImages(join(out, 'huge.png'), [28, 28]), /huge\.png: images are 15000x15000 pixels/);
  const header = Buffer.alloc(16);
  header.writeUInt32BE(0x0803, 0);
  [1, 28, 28].forEach((d, i) => header.writeUInt32BE(d, 4 + 4 * i));
  const bomb = file('bomb-idx3-ubyte.gz', gzipSync(Buffer.concat([header, Buffer.alloc(256 << 20)])));
  assertOneLineError(nabla('predict', model, bomb), /^nabla: bomb-idx3-ubyte\.gz: trailing bytes: the gzip data inflate to more than the ubyte\[1, 28, 28\], 800 bytes/);
});

test('a label 12 in a 10-class data set is refused by file and index; --classes 13 makes it a 13-class run', () => {
  const data = copyFolder(makeIdxFolder(300, 100));
  const labels = join(data, 'train-labels-idx1-ubyte.gz');
  const decoded = loadMnist({ dir: data, validationSize: 100 });
  const y = Int32Array.from([...decoded.train.y.data, ...decoded.valid.y.data]);
  y[42] = 12;
  writeFileSync(labels, gzipSync(encodeIdx(new NDArray('int32', [y.length], y))));
  const args = ['train', 'logreg', '--dataset', data, '--validation-size', '100', '--batch-size', '50', '--epochs', '1', '--quiet', '--json'];
  assertOneLineError(nabla(...args, '--out', join(out, 'run10')),
    new RegExp(`^nabla: ${labels}: label 12 at index 42 leaves classes 10, 11 without a training example; if the data have 13 classes, give that count \\(--classes 13\\)$`));
  const thirteen = nabla(...args, '--classes', '13', '--out', join(out, 'run13'));
  assert.equal(thirteen.status, 0, thirteen.stderr);
  assert.equal(loadModelFile(lastJson(thirteen).model_path as string).config.classes, 13);
  assertOneLineError(nabla(...args, '--classes', '10', '--out', join(out, 'run10b')), new RegExp(`^nabla: ${labels}: label 12 at index 42 is not one of the 10 classes \\(0 to 9\\)$`));
});
