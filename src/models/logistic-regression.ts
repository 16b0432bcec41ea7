// Multiclass logistic regression on flattened images (tutorial chapter 4): P(Y = i | x) = softmax_i(x W + b),
// W and b starting at zero. Published on MNIST: 7.489% test error.
import { LogisticLayer, type Layer } from '../nn/index.js';
import { Classifier, type ClassifierConfig } from './classifier.js';
import { configReader } from './config-reader.js';
import type { ModelFile } from './model-file.js';

export type LogisticRegressionConfig = ClassifierConfig;

/**
 * Logistic regression; train it with fitClassifier (train/) or `nabla train logreg`.
 * @example const model = new LogisticRegression({ imageShape: [28, 28], classes: 10 });
 * const labels = model.predict(test.x);
 */
export class LogisticRegression extends Classifier<LogisticRegressionConfig> {
  readonly kind = 'logreg';
  protected readonly layers: Layer[];

  constructor(config: LogisticRegressionConfig) {
    super(config);
    this.layers = [new LogisticLayer(this.inputSize, config.classes, { name: 'logistic' })];
  }

  /** Rebuilds a saved model, checking its configuration and tensors. */
  static fromModelFile(file: ModelFile, path: string): LogisticRegression {
    const read = configReader(path, file.config);
    return new LogisticRegression({ imageShape: read.pair('imageShape'), classes: read.int('classes') }).loadTensors(path, file.tensors);
  }
}
