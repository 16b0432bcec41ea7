// Multilayer perceptron (tutorial chapter 5): f(x) = G(b2 + W2 s(b1 + W1 x)) with any number of hidden
// layers s(·), G the softmax, optional dropout (seed 002, chapter 7). Published on MNIST with one tanh
// layer of 500 units, L2 1e-4: 1.65% test error.
import { RandomStreams } from '../random/index.js';
import { ACTIVATIONS, type Activation, type Layer } from '../nn/index.js';
import type { FitDefaults } from '../fit/index.js';
import { Classifier, type ClassifierConfig } from './classifier.js';
import { configReader } from './config-reader.js';
import { denseStack } from './dense-stack.js';
import type { ModelFile } from './model-store.js';

export interface MlpConfig extends ClassifierConfig {
  /** Units per hidden layer, input side first. */
  hidden: number[];
  activation: Activation;
  /** Dropout keep probabilities [input, hidden]; empty for none. */
  keep: number[];
}

/** The tutorial's settings: lr 0.01, L2 1e-4, minibatches of 20, at most 1000 epochs, patience 10000. */
export const MLP_TUTORIAL: FitDefaults = {
  learningRate: 0.01, l2: 0.0001, batchSize: 20, epochs: 1000, patience: 10000,
};

/**
 * An MLP; `seed` draws the initial weights and the dropout masks.
 * @example const model = new Mlp({ imageShape: [28, 28], classes: 10, hidden: [500], activation: 'tanh', keep: [] },
 *   1234);
 */
export class Mlp extends Classifier<MlpConfig> {
  readonly kind = 'mlp';
  protected readonly layers: Layer[];
  override readonly fitDefaults = MLP_TUTORIAL;

  constructor(config: MlpConfig, seed = 1234) {
    super(config);
    this.layers = denseStack(new RandomStreams(seed), this.inputSize, config);
  }

  /** Rebuilds a saved model, checking its configuration and tensors. */
  static fromModelFile(file: ModelFile, path: string): Mlp {
    const read = configReader(path, file.config);
    const config: MlpConfig = {
      imageShape: read.pair('imageShape'),
      classes: read.int('classes'),
      hidden: read.intList('hidden'),
      activation: read.oneOf('activation', ACTIVATIONS),
      keep: read.probabilities('keep'),
    };
    return new Mlp(config).loadTensors(path, file.tensors);
  }

  /** Loads a model saved by `save`. */
  static load(path: string): Mlp {
    return Classifier.loadAs(path, 'mlp', Mlp.fromModelFile);
  }
}
