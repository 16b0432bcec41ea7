// The baseline of the IMDB tutorial's LSTM: logistic regression on the words a review contains,
// P(y | review) = softmax(Σ_t mask_t · W[x_t] + b). Fed each review's distinct words (the recipe's
// data), the sum is x·W for the review's binary bag-of-words vector x over the nWords vocabulary,
// without ever building that vector.
import { zeros } from '../ndarray/index.js';
import type { SharedVariable, Variable } from '../graph/variable.js';
import { shared } from '../graph/constructors.js';
import { softmax, take } from '../ops/index.js';
import type { Mode } from '../nn/index.js';
import { configReader } from './config-reader.js';
import { loadModelAs, type ModelFile } from './model-store.js';
import { SequenceClassifier, type SequenceClassifierConfig } from './sequence-classifier.js';

export type BagOfWordsConfig = SequenceClassifierConfig;

/**
 * Logistic regression over the words of a sequence; W and b start at zero.
 * @example const bow = new BagOfWords({ nWords: 10000, classes: 2 });
 */
export class BagOfWords extends SequenceClassifier<BagOfWordsConfig> {
  readonly kind = 'bow';
  readonly W: SharedVariable;
  readonly b: SharedVariable;

  constructor(config: BagOfWordsConfig) {
    super(config);
    this.W = shared(zeros([config.nWords, config.classes]), 'W');
    this.b = shared(zeros([config.classes]), 'b');
  }

  get params(): SharedVariable[] {
    return [this.W, this.b];
  }

  get weights(): SharedVariable[] {
    return [this.W];
  }

  probabilities(x: Variable, mask: Variable, _mode: Mode): Variable {
    const [steps, batch] = [x.shape.at(0), x.shape.at(1)];
    const perWord = take(this.W, x.flatten()).reshape([steps, batch, this.config.classes]);
    return softmax(perWord.mul(mask.dimshuffle([0, 1, 'x'])).sum(0).add(this.b));
  }

  static fromModelFile(file: ModelFile, path: string): BagOfWords {
    const read = configReader(path, file.config);
    return new BagOfWords({ nWords: read.int('nWords'), classes: read.int('classes') }).loadTensors(path, file.tensors);
  }

  static load(path: string): BagOfWords {
    return loadModelAs(path, BagOfWords.fromModelFile, 'bow');
  }
}
