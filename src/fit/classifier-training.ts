// Training a classifier as the tutorials do: the data in shared variables, one compiled step per
// minibatch (selected by index through givens), NLL plus L1/L2 penalties on the weights, errors as the
// mean over whole minibatches, and the loop with early stopping keeping the best parameters seen.
// Classifier.fit runs it in memory; train/fit-classifier.ts adds a run's files (checkpoints, metrics).
import { assertFiniteMatrix, formatShape, type NDArray } from '../ndarray/index.js';
import type { SharedVariable, Variable } from '../graph/variable.js';
import { iscalar, ivector, matrix, shared } from '../graph/constructors.js';
import { argmax, l1, l2Sqr, mean, neq, nll, slice } from '../ops/index.js';
import { fn, type Update } from '../compile/index.js';
import { ScheduledRate, buildUpdates, parseSchedule, type OptimizerName } from '../optim/index.js';
import { adversarialStep } from '../nn/index.js';
import { augmentImages, type AugmentOptions } from './augment.js';
import { LoopTraining, type ErrorMeasure } from './loop-training.js';
import type { TrainableClassifier } from './trainable.js';
import { trainingState } from './training-state.js';

/** The side of square images of `pixels` pixels, for models that do not say their image shape. */
function squareImage(pixels: number): [number, number] {
  const side = Math.round(Math.sqrt(pixels));
  if (side * side !== pixels) throw new Error(`augmentation: rows of ${pixels} pixels are not square images; the model must give its imageShape`);
  return [side, side];
}

/** Rows evaluated per call when measuring an error: whole minibatches, in products large enough to run fast. */
const EVALUATION_ROWS = 1000;

export interface LabelledSet {
  /** float32 [n, rows * cols] */
  x: NDArray;
  /** int32 [n] */
  y: NDArray;
}

/** Adversarial training's budget ε and the adversarial examples' share of the cost (0.5). */
export interface AdversarialTraining {
  epsilon: number;
  weight?: number;
}

export interface TrainingOptions {
  batchSize: number;
  learningRate: number;
  /** Weights of the L1 and squared-L2 penalties on the weights (not the biases). */
  l1?: number;
  l2?: number;
  optimizer?: OptimizerName;
  /** μ for momentum and nesterov. */
  momentum?: number;
  /** A schedule spec (see parseSchedule); constant by default. */
  schedule?: string;
  /**
   * Adversarial training (Goodfellow et al. 2015): the cost is (1 − weight)·J(x) + weight·J(x'), x' the
   * gradient-sign example of x at budget epsilon, crafted against the current weights at every step.
   */
  adversarial?: AdversarialTraining;
  /** Train on augmented copies of the images (shifts, rotations, noise), drawn afresh each epoch. */
  augment?: AugmentOptions;
  /** Seeds the augmentation. */
  seed?: number;
}

/** What fit uses where its options are silent: each tutorial model's published settings. */
export interface FitDefaults extends TrainingOptions {
  /** At most this many epochs. */
  epochs: number;
  /** Early stopping: minibatches to look at regardless. */
  patience: number;
}

/**
 * A classifier's compiled training step over a training set, its error measures and its loop.
 * @example const training = new ClassifierTraining(model, train, { batchSize: 600, learningRate: 0.13 });
 * const result = training.run({
 *   maxEpochs: 100, earlyStopping, validate: training.errorOn(valid, 'validation').measure });
 * training.restoreBest();
 */
export class ClassifierTraining extends LoopTraining {
  readonly model: TrainableClassifier;
  readonly trainBatches: number;
  readonly state: Map<string, SharedVariable>;
  protected readonly holder: TrainableClassifier;
  private readonly x = matrix('x');
  private readonly y = ivector('y');
  private readonly errors: Variable;
  private readonly rate: ScheduledRate;
  private readonly batchSize: number;
  private readonly stepFn: (index: number) => number;
  private readonly augmentEpoch?: (epoch: number) => void;

  constructor(model: TrainableClassifier, train: LabelledSet, options: TrainingOptions) {
    const { batchSize } = options;
    super();
    if (!Number.isInteger(batchSize) || batchSize < 1) throw new Error(`batch size ${batchSize} must be a positive integer`);
    this.model = model;
    this.holder = model;
    this.batchSize = batchSize;
    this.trainBatches = this.checkSet(train, 'training');
    let cost: Variable = nll(model.probabilities(this.x, 'train'), this.y);
    if (options.adversarial) cost = this.withAdversarialCost(cost, options.adversarial);
    for (const W of model.weights) {
      if (options.l1) cost = cost.add(l1(W).mul(options.l1));
      if (options.l2) cost = cost.add(l2Sqr(W).mul(options.l2));
    }
    // One error per minibatch of the rows given: the tutorials' per-minibatch means, several at a time.
    const mistakes = neq(argmax(model.probabilities(this.x, 'test'), 1), this.y);
    this.errors = mean(mistakes.reshape([-1, batchSize]), 1);
    this.rate = new ScheduledRate(parseSchedule(options.schedule ?? 'constant', options.learningRate));
    const updates = buildUpdates(options.optimizer ?? 'sgd', cost, model.params, { learningRate: this.rate.rate, momentum: options.momentum });
    const trainX = shared(train.x, 'data.x');
    const step = this.minibatchFunction(train, cost, updates, trainX);
    const { augment, seed = 0 } = options;
    if (augment) {
      const imageShape = model.config.imageShape ?? squareImage(model.inputSize);
      this.augmentEpoch = (epoch) => trainX.set(augmentImages(train.x, imageShape, augment, seed, epoch));
    }
    this.stepFn = (i) => step(i, 1) as number;
    // The data sit in shared variables reached through givens only, so no graph here reads them.
    this.state = trainingState(cost, updates, []);
  }

  /**
   * The error on `set` (named in messages: 'validation', 'test'), compiled once: the mean of the
   * per-minibatch errors, as the tutorials count it (whole minibatches only), computed for about
   * EVALUATION_ROWS rows a call.
   */
  errorOn(set: LabelledSet, name: string): ErrorMeasure {
    const batches = this.checkSet(set, name);
    const perCall = Math.max(1, Math.min(batches, Math.floor(EVALUATION_ROWS / this.batchSize)));
    const f = this.minibatchFunction(set, this.errors);
    return {
      examples: batches * this.batchSize,
      measure: () => {
        let total = 0;
        for (let first = 0; first < batches; first += perCall) {
          const errors = f(first, Math.min(perCall, batches - first)) as NDArray;
          for (const e of errors.data) total += e;
        }
        return total / batches;
      },
    };
  }

  protected epochStart(epoch: number): void {
    this.rate.step(epoch - 1);
    this.augmentEpoch?.(epoch);
  }

  /** (1 − weight)·cost + weight·J(x'), x' = x + ε·sign(∇x J) kept in [0, 1]; sign has no gradient, so x' is data. */
  private withAdversarialCost(cost: Variable, { epsilon, weight = 0.5 }: AdversarialTraining): Variable {
    if (!(epsilon >= 0)) throw new Error(`adversarial training: epsilon is ${epsilon}; it must be ≥ 0`);
    if (!(weight >= 0 && weight <= 1)) throw new Error(`adversarial training: weight is ${weight}; it must be in [0, 1]`);
    const crafted = adversarialStep((v) => this.model.probabilities(v, 'test'), this.x, this.x, this.y, epsilon, epsilon);
    return cost.mul(1 - weight).add(nll(this.model.probabilities(crafted, 'train'), this.y).mul(weight));
  }

  protected step(index: number): number {
    return this.stepFn(index);
  }

  /** Checks a set against the model and returns its number of whole minibatches. */
  private checkSet(set: LabelledSet, name: string): number {
    const { model, batchSize } = this;
    const { x, y } = set;
    if (x.rank !== 2 || x.dtype !== 'float32' || x.shape[1] !== model.inputSize) {
      throw new Error(`${name} images are ${x.dtype}${formatShape(x.shape)}, but the ${model.kind} model reads float32[n, ${model.inputSize}]`);
    }
    if (y.rank !== 1 || y.dtype !== 'int32' || y.shape[0] !== x.shape[0]) {
      throw new Error(`${name} labels are ${y.dtype}${formatShape(y.shape)}; expected int32[${x.shape[0]}], one per image`);
    }
    assertFiniteMatrix(x, `the ${name} images`);
    const k = model.config.classes;
    const bad = y.data.findIndex((label) => label < 0 || label >= k);
    if (bad >= 0) throw new Error(`${name} label ${y.data[bad]} at index ${bad} is outside the model's ${k} classes`);
    const batches = Math.floor(x.shape[0] / batchSize);
    if (batches < 1) throw new Error(`the ${name} set has ${x.shape[0]} examples, fewer than one minibatch of ${batchSize}`);
    return batches;
  }

  /** A compiled function of a minibatch index and a count of minibatches over a data set held in shared variables. */
  private minibatchFunction(
    set: LabelledSet, output: Variable, updates?: Update[], X = shared(set.x, 'data.x'),
  ): (index: number, count: number) => number | NDArray {
    const Y = shared(set.y, 'data.y');
    const [index, count] = [iscalar('index'), iscalar('count')];
    const rows = slice(index.mul(this.batchSize), index.add(count).mul(this.batchSize));
    const f = fn([index, count], output, { updates, givens: [[this.x, X.at(rows)], [this.y, Y.at(rows)]] });
    return (i, n) => f(i, n);
  }
}
