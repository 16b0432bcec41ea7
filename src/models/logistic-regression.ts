// Multiclass logistic regression on flattened images (tutorial chapter 4): P(Y = i | x) = softmax_i(x W + b),
// W and b starting at zero. Published on MNIST: 7.489% test error.
import { LogisticLayer, type Layer } from '../nn/index.js';
import type { FitDefaults } from '../fit/index.js';
import { Classifier, type ClassifierConfig } from './classifier.js';
import { configReader } from './config-reader.js';
import type { ModelFile } from './model-store.js';

export type LogisticRegressionConfig = ClassifierConfig;

/** The tutorial's settings: lr 0.13, minibatches of 600, at most 1000 epochs, patience 5000. */
export const LOGISTIC_REGRESSION_TUTORIAL: FitDefaults = {
  learningRate: 0.13, batchSize: 600, epochs: 1000, patience: 5000,
};

/**
 * Logistic regression; train it with fit, or `nabla train logreg`.
 * @example const model = new LogisticRegression({ imageShape: [28, 28], classes: 10 });
 * model.fit(train.x, train.y, { validation: valid }); const labels = model.predict(test.x);
 */
export class LogisticRegression extends Classifier<LogisticRegressionConfig> {
  readonly kind = 'logreg';
  protected readonly layers: Layer[];
  override readonly fitDefaults = LOGISTIC_REGRESSION_TUTORIAL;

  constructor(config: LogisticRegressionConfig) {
    super(config);
    this.layers = [new LogisticLayer(this.inputSize, config.classes, { name: 'logistic' })];
  }

  /** Rebuilds a saved model, checking its configuration and tensors. */
  static fromModelFile(file: ModelFile, path: string): LogisticRegression {
    const read = configReader(path, file.config);
    return new LogisticRegression({ imageShape: read.pair('imageShape'), classes: read.int('classes') }).loadTensors(path, file.tensors);
  }

  /** Loads a model saved by `save`. */
  static load(path: string): LogisticRegression {
    return Classifier.loadAs(path, 'logreg', LogisticRegression.fromModelFile);
  }
}
