// models/: one file per model family; loadClassifier reads any supervised model file back.
import type { Classifier } from './classifier.js';
import { Dbn } from './dbn.js';
import { DeepNetwork } from './deep-network.js';
import { Lenet } from './lenet.js';
import { LogisticRegression } from './logistic-regression.js';
import { Mlp } from './mlp.js';
import { loadModelFile, type ModelFile } from './model-file.js';
import { StackedAutoencoder } from './stacked-autoencoder.js';

export * from './model-file.js';
export * from './classifier.js';
export * from './logistic-regression.js';
export * from './mlp.js';
export * from './lenet.js';
export * from './unsupervised-layer.js';
export * from './autoencoder.js';
export * from './rbm.js';
export * from './deep-network.js';
export * from './stacked-autoencoder.js';
export * from './dbn.js';
export * from './generative-dbn.js';
export * from './elman-rnn.js';

const CLASSIFIERS: Record<string, (file: ModelFile, path: string) => Classifier> = {
  logreg: LogisticRegression.fromModelFile,
  mlp: Mlp.fromModelFile,
  lenet: Lenet.fromModelFile,
  dnn: DeepNetwork.fromModelFile,
  sda: StackedAutoencoder.fromModelFile,
  dbn: Dbn.fromModelFile,
};

/**
 * Loads a saved classifier (logreg, mlp, lenet, or a pre-trained dnn, sda or dbn), with an error naming the
 * file if it holds anything else.
 * @example const model = loadClassifier('runs/mlp/model.nbm'); model.predict(test.x);
 */
export function loadClassifier(path: string): Classifier {
  return classifierFromFile(loadModelFile(path), path);
}

/**
 * The classifier a loaded model file holds, with an error naming `path` if it holds anything else.
 * @example const file = loadModelFile(path); const model = classifierFromFile(file, path);
 */
export function classifierFromFile(file: ModelFile, path: string): Classifier {
  const load = CLASSIFIERS[file.kind];
  if (!load) throw new Error(`${path}: holds a model of kind ${file.kind}, not a classifier (${Object.keys(CLASSIFIERS).join(', ')})`);
  const model = load(file, path);
  model.meta = file.meta ?? {};
  return model;
}
