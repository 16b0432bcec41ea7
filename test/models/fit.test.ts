// The model classes as users meet them through `import * as nb from 'nabla'`: fit on a small real
// MNIST subset learns (errors under stated bounds), early stopping leaves the best parameters, and
// save → load → predict or transform gives the same answers.
import '../single-thread.js';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as nb from '../../src/index.js';
import { loadMnist } from '../../src/data/index.js';

const mnist = loadMnist({ limit: { train: 2000, valid: 1000, test: 1000 } });
const dir = mkdtempSync(join(tmpdir(), 'nabla-fit-'));

/** The fraction of images of `set` the model gets wrong. */
function errorOn(model: nb.Classifier, set: { x: nb.NDArray; y: nb.NDArray }): number {
  const predicted = model.predict(set.x);
  let wrong = 0;
  predicted.data.forEach((label, i) => (wrong += label === set.y.data[i] ? 0 : 1));
  return wrong / predicted.size;
}

test('logistic regression fitted on 2000 images with a validation set has under 16% test error and keeps its best parameters', () => {
  const model = new nb.LogisticRegression({ imageShape: [28, 28], classes: 10 });
  const result = model.fit(mnist.train.x, mnist.train.y, { validation: mnist.valid, epochs: 30, batchSize: 50 });
  assert.equal(result.stoppedBy, 'epochs');
  // 40 minibatches an epoch, validated once an epoch (patience 5000 / 2 is longer).
  assert.equal(result.history.length, 30);
  assert.equal(result.bestValidError, Math.min(...result.history.map((r) => r.validError)));
  // The validation set is 20 whole minibatches, so the model's error on it is the best validation error.
  assert.ok(Math.abs(errorOn(model, mnist.valid) - result.bestValidError) < 1e-6, `${errorOn(model, mnist.valid)} vs ${result.bestValidError}`);
  const testError = errorOn(model, mnist.test);
  assert.ok(testError < 0.16, `test error ${testError}`);

  const path = join(dir, 'logreg.nbm');
  model.save(path);
  const loaded = nb.LogisticRegression.load(path);
  assert.deepEqual(loaded.predict(mnist.test.x).data, model.predict(mnist.test.x).data);
  assert.deepEqual(loaded.predictProba(mnist.test.x).data, model.predictProba(mnist.test.x).data);
});

test('an MLP and a LeNet fitted for a few epochs have under 20% test error, and load back to the same predictions', () => {
  const mlp = new nb.Mlp({ imageShape: [28, 28], classes: 10, hidden: [64], activation: 'tanh', keep: [] }, 1);
  mlp.fit(mnist.train.x, mnist.train.y, { validation: mnist.valid, epochs: 5, learningRate: 0.1 });
  const lenet = new nb.Lenet({ imageShape: [28, 28], classes: 10, kernels: [4, 8], filter: [5, 5], pool: [2, 2], hidden: [32], activation: 'tanh' }, 1);
  lenet.fit(mnist.train.x, mnist.train.y, { epochs: 3, batchSize: 20 });
  for (const [model, load] of [[mlp, nb.Mlp.load], [lenet, nb.Lenet.load]] as const) {
    const testError = errorOn(model, mnist.test);
    assert.ok(testError < 0.2, `${model.kind}: test error ${testError}`);
    const path = join(dir, `${model.kind}.nbm`);
    model.save(path, { note: 'fit test' });
    const loaded = load(path);
    assert.deepEqual(loaded.meta, { note: 'fit test' });
    assert.deepEqual(loaded.predict(mnist.test.x).data, model.predict(mnist.test.x).data);
  }
});

test('fit without a validation set runs every epoch; with a short patience it stops early', () => {
  const free = new nb.LogisticRegression({ imageShape: [28, 28], classes: 10 })
    .fit(mnist.train.x, mnist.train.y, { epochs: 2, batchSize: 100 });
  assert.deepEqual([free.stoppedBy, free.epochs, free.iterations, free.history.length], ['epochs', 2, 40, 0]);
  const stopped = new nb.LogisticRegression({ imageShape: [28, 28], classes: 10 }).fit(mnist.train.x, mnist.train.y, {
    validation: mnist.valid, epochs: 100, batchSize: 100,
    earlyStopping: { patience: 40, patienceIncrease: 1, validationFrequency: 20 },
  });
  // Validations at iterations 19 and 39 leave patience at max(40, iteration): it runs out at iteration 40.
  assert.deepEqual([stopped.stoppedBy, stopped.iterations, stopped.history.length], ['patience', 41, 2]);
});

test('a load of the wrong kind names the file and both kinds', () => {
  const path = join(dir, 'mlp-for-logreg.nbm');
  new nb.Mlp({ imageShape: [28, 28], classes: 10, hidden: [8], activation: 'tanh', keep: [] }).save(path);
  assert.throws(() => nb.LogisticRegression.load(path), new RegExp(`${path}: holds a mlp model, not a logreg`));
});

for (const [kind, make, load] of [
  ['autoencoder', () => new nb.Autoencoder({ visible: 784, hidden: 32, corruption: 0.3, seed: 3 }), nb.Autoencoder.load],
  ['rbm', () => new nb.Rbm({ visible: 784, hidden: 32, k: 1, seed: 3 }), nb.Rbm.load],
] as const) {
  test(`${kind}: fit lowers its reconstruction cost, transform gives [n, hidden] codes, and a saved one transforms alike`, () => {
    const model = make();
    const { history, monitorName } = model.fit(mnist.train.x, { epochs: 3 });
    assert.equal(monitorName, 'reconstruction cross-entropy');
    assert.equal(history.length, 3);
    assert.ok(history[2] < history[0], `costs ${history.join(', ')}`);
    const codes = model.transform(mnist.test.x);
    assert.deepEqual(codes.shape, [1000, 32]);
    assert.ok(codes.data.every((v) => v >= 0 && v <= 1), 'codes are sigmoid activations');
    const path = join(dir, `${kind}.nbm`);
    model.save(path);
    assert.deepEqual(load(path).transform(mnist.test.x).data, codes.data);
  });
}

test('an error is the mean of per-minibatch errors over whole minibatches, however many a call evaluates', () => {
  const model = new nb.Mlp({ imageShape: [28, 28], classes: 10, hidden: [16], activation: 'tanh', keep: [] });
  // 1,990 examples in minibatches of 20: 99 whole ones, evaluated 50 to a call (50, then 49); the last 10 are left out.
  const n = 1990;
  const set = { x: nb.array(mnist.train.x.data.subarray(0, n * 784), 'float32', [n, 784]), y: nb.array(mnist.train.y.data.subarray(0, n), 'int32', [n]) };
  const measure = new nb.ClassifierTraining(model, mnist.train, { batchSize: 20, learningRate: 0.1 }).errorOn(set, 'validation');
  assert.equal(measure.examples, 1980);
  const predicted = model.predict(set.x);
  let total = 0;
  for (let b = 0; b < 99; b++) {
    let wrong = 0;
    for (let i = b * 20; i < (b + 1) * 20; i++) wrong += predicted.data[i] === set.y.data[i] ? 0 : 1;
    total += Math.fround(wrong / 20);
  }
  assert.equal(measure.measure(), total / 99);
});
