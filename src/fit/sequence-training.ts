// Training a classifier of padded sequences as lstm.py does: each minibatch padded to its longest
// sequence and fed to one compiled step (no shared data set: lengths differ from batch to batch), the
// tutorial's cost (mean negative log-likelihood) plus decay_c·ΣU², errors counted over every example.
import { array, type NDArray } from '../ndarray/index.js';
import type { SharedVariable, Variable } from '../graph/variable.js';
import { imatrix, ivector, matrix, shared } from '../graph/constructors.js';
import { argmax, l2Sqr, neq, nll, sum } from '../ops/index.js';
import { fn } from '../compile/index.js';
import { buildUpdates, type OptimizerName } from '../optim/index.js';
import { LoopTraining, type ErrorMeasure } from './loop-training.js';
import type { TrainableSequenceClassifier } from './trainable.js';
import { trainingState } from './training-state.js';

/** One padded minibatch: word indices int32 [T, B], mask float32 [T, B], labels int32 [B]. */
export interface PaddedMinibatch {
  x: NDArray;
  mask: NDArray;
  y: NDArray;
}

/** Minibatches of a data set, made on demand (padding a whole set at once would waste memory). */
export interface MinibatchSource {
  /** Minibatches per pass. */
  readonly batches: number;
  /** Examples over all minibatches. */
  readonly examples: number;
  /** Minibatch `index` of a pass; `epoch` (1-based) picks a training set's shuffled order. */
  batch(index: number, epoch: number): PaddedMinibatch;
}

export interface SequenceTrainingOptions {
  optimizer: OptimizerName;
  learningRate: number;
  /** μ for momentum, nesterov and centered-rmsprop. */
  momentum?: number;
  /** lstm.py's decay_c: the weight of ΣW² over the model's `weights`. */
  decay?: number;
}

/**
 * A sequence classifier's compiled step over a training source, its error measures and its loop.
 * @example const training = new SequenceTraining(lstm, trainSource, { optimizer: 'adadelta', learningRate: 1 });
 * training.run({ maxEpochs: 100, validate: training.errorOn(validSource).measure,
 *   earlyStopping: { rule: 'validations', patience: 10, validationFrequency: 370 } });
 */
export class SequenceTraining extends LoopTraining {
  readonly model: TrainableSequenceClassifier;
  readonly trainBatches: number;
  readonly state: Map<string, SharedVariable>;
  protected readonly holder: TrainableSequenceClassifier;
  private readonly train: MinibatchSource;
  private readonly stepFn: (x: NDArray, mask: NDArray, y: NDArray) => number;
  private readonly wrongFn: (x: NDArray, mask: NDArray, y: NDArray) => number;
  private epoch = 1;

  constructor(model: TrainableSequenceClassifier, train: MinibatchSource, options: SequenceTrainingOptions) {
    super();
    if (train.batches < 1) throw new Error(`the training set has no minibatch (${train.examples} examples)`);
    this.model = model;
    this.holder = model;
    this.train = train;
    this.trainBatches = train.batches;
    const [x, mask, y] = [imatrix('x'), matrix('mask'), ivector('y')];
    let cost: Variable = nll(model.probabilities(x, mask, 'train'), y);
    if (options.decay) for (const W of model.weights) cost = cost.add(l2Sqr(W).mul(options.decay));
    const rate = shared(array(options.learningRate, 'float32'), 'learningRate');
    const { optimizer, momentum } = options;
    const updates = buildUpdates(optimizer, cost, model.params, { learningRate: rate, momentum });
    const step = fn([x, mask, y], cost, { updates, name: `train ${model.kind}` });
    this.stepFn = (...batch) => step(...batch) as number;
    const wrong = fn([x, mask, y], sum(neq(argmax(model.probabilities(x, mask, 'test'), 1), y)), { name: `${model.kind} errors` });
    this.wrongFn = (...batch) => wrong(...batch) as number;
    this.state = trainingState(cost, updates, []);
  }

  /** The share of misclassified examples of a source, over all of them (lstm.py's pred_error). */
  errorOn(source: MinibatchSource): ErrorMeasure {
    return {
      examples: source.examples,
      measure: () => {
        let wrong = 0;
        for (let i = 0; i < source.batches; i++) {
          const { x, mask, y } = source.batch(i, 0);
          wrong += this.wrongFn(x, mask, y);
        }
        return wrong / source.examples;
      },
    };
  }

  protected epochStart(epoch: number): void {
    this.epoch = epoch;
  }

  protected step(index: number): number {
    const { x, mask, y } = this.train.batch(index, this.epoch);
    return this.stepFn(x, mask, y);
  }
}
