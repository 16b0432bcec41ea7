// LeNet-5 as in the tutorial (chapter 6): convolution + max-pooling layers, then a fully connected tanh
// layer and a softmax. Published on MNIST with kernels [20, 50], 5x5 filters, 2x2 pooling, 500 hidden
// units: 0.92% test error.
import type { Variable } from '../graph/variable.js';
import { RandomStreams } from '../random/index.js';
import { ACTIVATIONS, ConvPoolLayer, Flatten, convPoolOutputShape, type Activation, type Layer } from '../nn/index.js';
import type { FitDefaults } from '../fit/index.js';
import { Classifier, type ClassifierConfig } from './classifier.js';
import { configReader } from './config-reader.js';
import { denseStack } from './dense-stack.js';
import type { ModelFile } from './model-store.js';

export interface LenetConfig extends ClassifierConfig {
  /** Feature maps per convolutional layer. */
  kernels: number[];
  /** [rows, cols] of every filter. */
  filter: [number, number];
  /** [rows, cols] of every max-pooling window. */
  pool: [number, number];
  hidden: number[];
  activation: Activation;
}

/** The tutorial's settings: lr 0.1, minibatches of 500, at most 200 epochs, patience 10000. */
export const LENET_TUTORIAL: FitDefaults = { learningRate: 0.1, batchSize: 500, epochs: 200, patience: 10000 };

/**
 * LeNet; `seed` draws the initial weights.
 * @example new Lenet({ imageShape: [28, 28], classes: 10, kernels: [20, 50], filter: [5, 5], pool: [2, 2],
 *   hidden: [500], activation: 'tanh' })
 */
export class Lenet extends Classifier<LenetConfig> {
  readonly kind = 'lenet';
  protected readonly layers: Layer[];
  override readonly fitDefaults = LENET_TUTORIAL;

  constructor(config: LenetConfig, seed = 23455) {
    super(config);
    const rng = new RandomStreams(seed);
    const [rows, cols] = convPoolOutputShape(config.imageShape, config.kernels.map(() => config.filter), config.pool);
    const convs = config.kernels.map(
      (maps, i) => new ConvPoolLayer(rng, [maps, i === 0 ? 1 : config.kernels[i - 1], ...config.filter], { pool: config.pool, activation: config.activation, name: `conv${i}` }),
    );
    const features = config.kernels[config.kernels.length - 1] * rows * cols;
    this.layers = [...convs, new Flatten(), ...denseStack(rng, features, config)];
  }

  protected override prepare(x: Variable): Variable {
    return x.reshape([-1, 1, ...this.config.imageShape]);
  }

  /** Rebuilds a saved model, checking its configuration and tensors. */
  static fromModelFile(file: ModelFile, path: string): Lenet {
    const read = configReader(path, file.config);
    const config: LenetConfig = {
      imageShape: read.pair('imageShape'),
      classes: read.int('classes'),
      kernels: read.intList('kernels'),
      filter: read.pair('filter'),
      pool: read.pair('pool'),
      hidden: read.intList('hidden'),
      activation: read.oneOf('activation', ACTIVATIONS),
    };
    return new Lenet(config).loadTensors(path, file.tensors);
  }

  /** Loads a model saved by `save`. */
  static load(path: string): Lenet {
    return Classifier.loadAs(path, 'lenet', Lenet.fromModelFile);
  }
}
