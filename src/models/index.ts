// models/: one file per model family; loadClassifier and loadSequenceClassifier read supervised model files back.
import type { Classifier } from './classifier.js';
import { Dbn } from './dbn.js';
import { DeepNetwork } from './deep-network.js';
import { Lenet } from './lenet.js';
import { LogisticRegression } from './logistic-regression.js';
import { Mlp } from './mlp.js';
import { loadModelAs, type ModelFile } from './model-file.js';
import { StackedAutoencoder } from './stacked-autoencoder.js';
import type { SequenceClassifier } from './sequence-classifier.js';
import { BagOfWords } from './bag-of-words.js';
import { LstmClassifier } from './lstm-classifier.js';

export * from './model-file.js';
export { encodeModel, decodeModel, MODEL_KINDS } from './model-bytes.js';
export { metaChoice, pixelScaleOf, PIXEL_SCALES } from './config-reader.js';
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
export * from './sequence-classifier.js';
export * from './bag-of-words.js';
export * from './lstm-classifier.js';
export * from './elman-rnn.js';
export * from './rnn-rbm.js';
export * from './adversarial.js';
export * from './activation-maximization.js';
export * from './hmc.js';
export * from './hmc-gaussian.js';

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
  return loadFrom(CLASSIFIERS, path, 'a classifier');
}

/** A model file read back through the builder of its kind in `builders`; `what` names them in errors. */
function loadFrom<M extends { meta: Record<string, unknown> }>(
  builders: Record<string, (file: ModelFile, path: string) => M>, path: string, what: string,
): M {
  return loadModelAs(path, (file) => {
    // Own keys only: a kind such as `constructor` must not find Object.prototype's.
    const load = Object.hasOwn(builders, file.kind) ? builders[file.kind] : undefined;
    if (!load) throw new Error(`${path}: holds a model of kind ${file.kind}, not ${what} (${Object.keys(builders).join(', ')})`);
    return load(file, path);
  });
}

const SEQUENCE_CLASSIFIERS: Record<string, (file: ModelFile, path: string) => SequenceClassifier> = {
  lstm: LstmClassifier.fromModelFile,
  bow: BagOfWords.fromModelFile,
};

/** Whether a model file holds a classifier of word sequences (it reads text rather than images). */
export const isSequenceClassifierKind = (kind: string): boolean => Object.hasOwn(SEQUENCE_CLASSIFIERS, kind);

/**
 * Loads a saved classifier of word sequences (lstm or bow), with an error naming the file if it holds anything else.
 * @example const model = loadSequenceClassifier('runs/lstm/model.nbm'); model.predictProba([ids]);
 */
export function loadSequenceClassifier(path: string): SequenceClassifier {
  return loadFrom(SEQUENCE_CLASSIFIERS, path, 'a classifier of text');
}
export * from './pca.js';
export * from './neighbours.js';
export * from './tsne.js';
export * from './ais.js';
