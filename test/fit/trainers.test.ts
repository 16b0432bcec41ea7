// The trainers train whatever implements fit/trainable.ts, model class or not: here a softmax layer and
// a linear autoencoder written in a few lines, on points that are easy to separate and to reconstruct.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as nb from '../../src/index.js';
import { ClassifierTraining, LayerTrainer, TUTORIAL_EARLY_STOPPING, type TrainableClassifier, type TrainableLayer } from '../../src/fit/index.js';

/** 200 points in 4 dimensions, labelled by the sign of their first coordinate. */
function points(): { x: nb.NDArray; y: nb.NDArray } {
  const x = new nb.NDArray('float32', [200, 4]);
  nb.philoxUniform(7, 0, 0, x.data as Float32Array);
  for (let i = 0; i < x.size; i++) x.data[i] = x.data[i] * 2 - 1;
  const y = new nb.NDArray('int32', [200]);
  for (let i = 0; i < 200; i++) y.data[i] = x.data[i * 4] > 0 ? 1 : 0;
  return { x, y };
}

test('ClassifierTraining trains any TrainableClassifier and gives it back its best parameters', () => {
  const layer = new nb.LogisticLayer(4, 2);
  const loaded: string[] = [];
  const model: TrainableClassifier = {
    kind: 'softmax', inputSize: 4, config: { classes: 2 }, params: layer.params, weights: layer.weights,
    probabilities: (x) => layer.forward(x),
    loadTensors: (path, tensors) => {
      loaded.push(path);
      for (const p of layer.params) p.set(tensors[p.name!]);
    },
  };
  const data = points();
  const training = new ClassifierTraining(model, data, { batchSize: 20, learningRate: 0.5 });
  const result = training.run({ maxEpochs: 20, validate: training.errorOn(data, 'validation').measure, earlyStopping: { ...TUTORIAL_EARLY_STOPPING, patience: 1000 } });
  assert.ok(result.bestValidError < 0.05, `best validation error ${result.bestValidError}`);
  training.restoreBest();
  assert.deepEqual(loaded, ['best parameters']);
});

test('LayerTrainer trains any TrainableLayer: a linear autoencoder lowers its squared error', () => {
  const W = nb.shared(nb.array([[0.1, 0], [0, 0.1], [0.1, 0.1], [0, 0]], 'float32'), 'W');
  const layer: TrainableLayer = {
    kind: 'linear autoencoder', visible: 4, params: [W],
    objective: (x) => {
      const error = nb.mean(nb.sum(nb.square(x.dot(W).dot(W.T).sub(x)), 1));
      return { cost: error, considerConstant: [], monitor: error, monitorName: 'squared error', updates: [] };
    },
  };
  const monitors = new LayerTrainer(layer, points().x, { batchSize: 20, learningRate: 0.1 }).train(1, 10);
  assert.equal(monitors.length, 10);
  assert.ok(monitors[9] < 0.8 * monitors[0], `squared error per epoch: ${monitors.map((m) => m.toFixed(3)).join(' ')}`);
});
