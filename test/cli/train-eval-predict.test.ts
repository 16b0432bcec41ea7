// The command line end to end on a small IDX folder: train with --json, then eval and predict with the
// saved model; and the one-line errors for bad data, bad model files and bad images.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { loadModelFile, saveModelFile } from '../../src/models/model-file.js';
import { readIdx } from '../../src/data/index.js';
import { writePng } from '../../src/viz/index.js';
import { NDArray } from '../../src/ndarray/index.js';
import { assertOneLineError, copyFolder, lastJson, makeIdxFolder, nabla } from './fixtures.js';

const data = makeIdxFolder();
const out = mkdtempSync(join(tmpdir(), 'nabla-cli-'));
const small = ['--dataset', data, '--validation-size', '300', '--batch-size', '100', '--quiet'];

test('nabla train logreg --json ends with one JSON object; eval and predict use the saved model', () => {
  const trained = nabla('train', 'logreg', ...small, '--epochs', '3', '--json', '--out', join(out, 'logreg'));
  assert.equal(trained.status, 0, trained.stderr);
  const summary = lastJson(trained);
  for (const key of ['model', 'dataset', 'epochs', 'best_valid_error', 'test_error', 'seconds', 'backend', 'model_path']) assert.ok(key in summary, key);
  assert.equal(summary.model, 'logreg');
  assert.equal(summary.dataset, data);
  assert.equal(summary.epochs, 3);
  assert.ok((summary.best_valid_error as number) < 0.3 && (summary.test_error as number) < 0.3);
  const modelPath = summary.model_path as string;
  for (const f of ['model.nbm', 'resume.nbm', 'metrics.jsonl', 'curves-train_cost.png', 'curves-valid_error.png', 'curves-test_error.svg', 'filters.png', 'confusion.png', 'confusion.svg']) {
    assert.ok(existsSync(join(out, 'logreg', f)), f);
  }

  const evaluated = nabla('eval', modelPath, '--dataset', data, '--validation-size', '300', '--json', '--out', join(out, 'eval'));
  assert.equal(evaluated.status, 0, evaluated.stderr);
  const report = lastJson(evaluated);
  assert.equal(report.examples, 300);
  const confusion = report.confusion as number[][];
  assert.equal(confusion.flat().reduce((a, b) => a + b, 0), 300);
  const correct = confusion.reduce((a, row, i) => a + row[i], 0);
  assert.equal(report.error, (300 - correct) / 300);
  assert.ok(existsSync(join(out, 'eval', 'confusion-test.png')));
  const table = nabla('eval', modelPath, '--dataset', data, '--validation-size', '300');
  assert.match(table.stdout, /logreg .* on the .* test set: \d+\.\d\d% error \(\d+ of 300\)\ntrue\\pred +0 +1 +2/);

  const idx = join(data, 't10k-images-idx3-ubyte.gz');
  const predicted = nabla('predict', modelPath, idx, '--json');
  assert.equal(predicted.status, 0, predicted.stderr);
  const predictions = lastJson(predicted).predictions as { class: number; probabilities: number[] }[];
  assert.equal(predictions.length, 300);
  assert.equal(predictions[0].probabilities.length, 10);
  assert.ok(Math.abs(predictions[0].probabilities.reduce((a, b) => a + b, 0) - 1) < 1e-4);

  // MNIST's first test image, a 7, as a PNG: the same class as from the IDX file.
  const png = join(out, 'digit.png');
  const first = readIdx(idx, { scale: true, rows: [0, 1] });
  writePng(png, first.reshape([28, 28]));
  const one = nabla('predict', modelPath, png);
  assert.equal(one.status, 0, one.stderr);
  assert.match(one.stdout, new RegExp(`^class ${predictions[0].class} \\(p = 0\\.\\d{4}\\) {2}\\[0: 0\\.\\d{4} {2}1: `));
  writePng(png, new NDArray('float32', [20, 28]));
  assertOneLineError(nabla('predict', modelPath, png), /^nabla: digit\.png: images are 20x28 pixels, but the model reads 28x28$/);
});

test('a truncated, a wrongly numbered or a mismatched IDX file gives one line naming the file and the problem', () => {
  const truncated = copyFolder(data);
  const images = join(truncated, 'train-images-idx3-ubyte.gz');
  writeFileSync(join(truncated, 'train-images-idx3-ubyte'), readFileSync(join(data, 'train-images-idx3-ubyte.gz')).subarray(0, 10)); // raw wins over .gz; this raw file is a cut-off gzip
  assertOneLineError(nabla('train', 'logreg', ...small.slice(2), '--dataset', truncated), /^nabla: train-images-idx3-ubyte: gzip data is corrupt/);
  rmSync(join(truncated, 'train-images-idx3-ubyte'));
  writeFileSync(images, gzipSync(gunzipSync(readFileSync(images)).subarray(0, 5000)));
  assertOneLineError(nabla('train', 'logreg', ...small.slice(2), '--dataset', truncated), /^nabla: train-images-idx3-ubyte\.gz: truncated at byte 5000, expected 940816$/);

  const wrongMagic = copyFolder(data);
  const labels = gunzipSync(readFileSync(join(wrongMagic, 'train-labels-idx1-ubyte.gz')));
  labels[2] = 0x08;
  labels[3] = 0x03;
  writeFileSync(join(wrongMagic, 'train-labels-idx1-ubyte.gz'), gzipSync(labels));
  assertOneLineError(nabla('train', 'mlp', ...small.slice(2), '--dataset', wrongMagic), /^nabla: train-labels-idx1-ubyte\.gz: wrong magic number 0x00000803 \(ubyte, rank 3\), expected 0x00000801/);

  const mismatched = copyFolder(data);
  const fewer = gunzipSync(readFileSync(join(data, 't10k-labels-idx1-ubyte.gz')));
  fewer.writeUInt32BE(299, 4);
  writeFileSync(join(mismatched, 't10k-labels-idx1-ubyte.gz'), gzipSync(fewer.subarray(0, fewer.length - 1)));
  assertOneLineError(nabla('train', 'lenet', ...small.slice(2), '--dataset', mismatched), /^nabla: loadMnist: .*t10k-images-idx3-ubyte\.gz holds 300 images but .*t10k-labels-idx1-ubyte\.gz holds 299 labels$/);
});

test('a folder with missing files gives one line naming the folder and every missing file', () => {
  const missing = copyFolder(data);
  rmSync(join(missing, 't10k-labels-idx1-ubyte.gz'));
  rmSync(join(missing, 'train-images-idx3-ubyte.gz'));
  assertOneLineError(nabla('train', 'logreg', '--dataset', missing), new RegExp(`^nabla: loadMnist: folder ${missing} lacks train-images-idx3-ubyte\\[\\.gz\\], t10k-labels-idx1-ubyte\\[\\.gz\\]$`));
  assertOneLineError(nabla('train', 'logreg', '--dataset', join(missing, 'nowhere')), /^nabla: --dataset: .*nowhere is neither 'mnist' nor a folder$/);
});

test('a model file from another architecture gives one line naming the file and the problem', () => {
  const trained = nabla('train', 'mlp', ...small, '--epochs', '1', '--hidden', '20', '--json', '--out', join(out, 'mlp'));
  assert.equal(trained.status, 0, trained.stderr);
  const path = lastJson(trained).model_path as string;
  const file = loadModelFile(path);
  const other = join(out, 'other.nbm');
  saveModelFile(other, { ...file, config: { ...file.config, hidden: [30] } });
  assertOneLineError(nabla('eval', other, '--dataset', data, '--validation-size', '300'), new RegExp(`^nabla: ${other}: tensor hidden0\\.W is \\[784, 20\\] but this architecture needs \\[784, 30\\]$`));
  saveModelFile(other, { ...file, kind: 'lenet' });
  assertOneLineError(nabla('predict', other, join(data, 't10k-images-idx3-ubyte.gz')), new RegExp(`^nabla: ${other}: configuration field kernels is undefined`));
  writeFileSync(other, readFileSync(path).subarray(0, 200));
  assertOneLineError(nabla('eval', other), new RegExp(`^nabla: ${other}: not a nabla model file|^nabla: ${other}: truncated`));
  // Resuming a run with another architecture is refused the same way.
  assertOneLineError(nabla('train', 'mlp', ...small, '--epochs', '1', '--hidden', '25', '--resume', '--out', join(out, 'mlp')), /^nabla: .*resume\.nbm: was written by a run with other options \(config: .*"hidden":\[20\].* → .*"hidden":\[25\]/);
});
