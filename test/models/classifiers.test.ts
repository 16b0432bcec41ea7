// The supervised models: parameters by name, save and load that keep dtypes and shapes exactly,
// prediction in chunks, and errors that name the file when a model file holds another architecture.
import '../single-thread.js';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as nb from '../../src/index.js';
import { Lenet, LogisticRegression, Mlp, loadClassifier, loadModelFile, saveModelFile } from '../../src/models/index.js';

const dir = mkdtempSync(join(tmpdir(), 'nabla-models-'));
const images = (n: number, size = 784) => new nb.NDArray('float32', [n, size], Float32Array.from({ length: n * size }, (_, i) => (Math.sin(i * 0.37) + 1) / 2));

const models = {
  logreg: () => new LogisticRegression({ imageShape: [28, 28], classes: 10 }),
  mlp: () => new Mlp({ imageShape: [28, 28], classes: 10, hidden: [32, 16], activation: 'tanh', keep: [0.8, 0.5] }, 5),
  lenet: () => new Lenet({ imageShape: [28, 28], classes: 10, kernels: [4, 6], filter: [5, 5], pool: [2, 2], hidden: [20], activation: 'tanh' }, 5),
};

test('each model names its parameters by layer and penalises only the weights', () => {
  assert.deepEqual(models.logreg().params.map((p) => p.name), ['logistic.W', 'logistic.b']);
  assert.deepEqual(models.mlp().params.map((p) => p.name), ['hidden0.W', 'hidden0.b', 'hidden1.W', 'hidden1.b', 'output.W', 'output.b']);
  assert.deepEqual(models.mlp().weights.map((p) => p.name), ['hidden0.W', 'hidden1.W', 'output.W']);
  const lenet = models.lenet();
  assert.deepEqual(lenet.params.map((p) => `${p.name}${nb.formatShape(p.value.shape)}`), [
    'conv0.W[4, 1, 5, 5]', 'conv0.b[4]', 'conv1.W[6, 4, 5, 5]', 'conv1.b[6]', 'hidden0.W[96, 20]', 'hidden0.b[20]', 'output.W[20, 10]', 'output.b[10]',
  ]);
  assert.deepEqual(lenet.firstLayerWeights.shape, [4, 1, 5, 5]);
});

for (const [kind, make] of Object.entries(models)) {
  test(`${kind}: save then load gives the same tensors, bit for bit, and the same predictions`, () => {
    const model = make();
    // Random biases, so that a mix-up of tensors would show.
    for (const p of model.params) p.set(nb.array(Float32Array.from({ length: p.value.size }, (_, i) => Math.cos(i + p.value.size) / 10), 'float32', p.value.shape));
    const path = join(dir, `${kind}.nbm`);
    model.save(path, { note: 'test' });
    const loaded = loadClassifier(path);
    assert.equal(loaded.kind, kind);
    assert.deepEqual(loaded.config, model.config);
    loaded.params.forEach((p, i) => {
      assert.equal(p.dtype, 'float32');
      assert.deepEqual(p.value.shape, model.params[i].value.shape);
      assert.deepEqual(p.value.data, model.params[i].value.data);
    });
    const x = images(1500); // more than one prediction chunk
    const p = model.predictProba(x);
    assert.deepEqual(p.shape, [1500, 10]);
    assert.deepEqual(loaded.predictProba(x).data, p.data);
    const rowSum = Array.from(p.data.subarray(0, 10)).reduce((a, b) => a + b, 0);
    assert.ok(Math.abs(rowSum - 1) < 1e-5);
    assert.deepEqual(model.predict(x).dtype, 'int32');
  });
}

test('predictProba names the shape it got and the shape it needs', () => {
  assert.throws(() => models.mlp().predictProba(images(2, 100)), /mlp: input is float32\[2, 100\], but this model reads float32\[n, 784\] \(28x28 images\)/);
});

test('a model file from another architecture gives an error naming the file and the tensor', () => {
  const path = join(dir, 'other.nbm');
  const file = models.mlp().toModelFile();
  saveModelFile(path, { ...file, config: { ...file.config, hidden: [64, 16] } });
  assert.throws(() => loadClassifier(path), new RegExp(`^Error: ${path}: tensor hidden0.W is \\[784, 32\\] but this architecture needs \\[784, 64\\]$`));
  saveModelFile(path, { ...file, kind: 'lenet' });
  assert.throws(() => loadClassifier(path), new RegExp(`${path}: configuration field kernels is undefined; expected a list of any number of positive integers`));
  saveModelFile(path, { ...models.logreg().toModelFile(), kind: 'mlp', config: file.config });
  assert.throws(() => loadClassifier(path), new RegExp(`${path}: has no tensor hidden0.W; it was saved from another architecture`));
  saveModelFile(path, { kind: 'rbm', config: {}, tensors: {} });
  assert.throws(() => loadClassifier(path), new RegExp(`${path}: holds a model of kind rbm, not a classifier \\(logreg, mlp, lenet, dnn, sda, dbn\\)`));
  const withExtra = models.logreg().toModelFile();
  saveModelFile(path, { ...withExtra, tensors: { ...withExtra.tensors, 'hidden9.W': nb.zeros([2]) } });
  assert.throws(() => loadClassifier(path), /holds tensor hidden9.W, which this logreg architecture lacks/);
  assert.equal(loadModelFile(path).kind, 'logreg');
});
