// Training a density over sequences of frames as rnnrbm.py does: every epoch the sequences in a new
// order, each cut into stretches of at most `stretch` frames, one SGD step per stretch (the model starts
// each stretch afresh); the monitor of each step averaged per epoch. Validation measures the frame-level
// accuracy of Bay et al. (2009), ACC = TP / (TP + FP + FN) summed over every frame of a set, of frames drawn
// from the model given the true history; the loop minimises 1 − ACC.
import { NDArray } from '../ndarray/index.js';
import { SharedVariable } from '../graph/variable.js';
import { matrix, shared } from '../graph/constructors.js';
import { sum } from '../ops/index.js';
import { array } from '../ndarray/index.js';
import { grad } from '../grad/index.js';
import { fn } from '../compile/index.js';
import { sgd } from '../optim/index.js';
import { shuffleInPlace } from '../random/index.js';
import { LoopTraining, type ErrorMeasure } from './loop-training.js';
import type { TrainableSequenceDensity } from './trainable.js';
import { trainingState } from './training-state.js';

export interface DensityTrainingOptions {
  learningRate: number;
  /** Frames per training stretch (the tutorial's batch_size, 100). */
  stretch: number;
  /** Seeds the order of the sequences in each epoch. */
  seed: number;
}

/** True positives, false positives and false negatives of predicted frames, summed. */
export interface FrameCounts {
  tp: number;
  fp: number;
  fn: number;
}

/** Bay et al.'s frame-level accuracy from summed counts (1 when nothing sounds and nothing is predicted). */
export const frameAccuracy = ({ tp, fp, fn }: FrameCounts): number => (tp + fp + fn ? tp / (tp + fp + fn) : 1);

/**
 * Frame-level accuracy of a sequence density: each frame against one drawn given the true frames before it.
 * @example frameAccuracy(new FrameCounter(rnnrbm).counts(testSongs)) // 0.41
 */
export class FrameCounter {
  private readonly countFn: (v: NDArray) => FrameCounts;
  /** The random counters of the prediction, set back before each count so it depends on the parameters only. */
  private readonly predictionStreams: SharedVariable[];

  constructor(model: TrainableSequenceDensity) {
    const v = matrix('v');
    const predicted = model.predictFrames(v);
    const missed = v.rsub(1);
    const count = fn([v], [sum(predicted.mul(v)), sum(predicted.mul(missed)), sum(predicted.rsub(1).mul(v))], { name: `${model.kind} frame counts` });
    this.countFn = (frames) => {
      const [tp, fp, fn] = count(frames) as number[];
      return { tp, fp, fn };
    };
    this.predictionStreams = [...trainingState(predicted, [], model.params).values()];
  }

  /** TP, FP and FN of frames drawn given their true history, summed over `sequences`. */
  counts(sequences: readonly NDArray[]): FrameCounts {
    for (const counter of this.predictionStreams) counter.set(array(0, counter.dtype));
    const total = { tp: 0, fp: 0, fn: 0 };
    for (const s of sequences) {
      const c = this.countFn(s);
      total.tp += c.tp;
      total.fp += c.fp;
      total.fn += c.fn;
    }
    return total;
  }
}

/** The rows start … end − 1 of a matrix, sharing its data. */
const rows = (m: NDArray, start: number, end: number): NDArray => {
  const width = m.shape[1];
  return new NDArray(m.dtype, [end - start, width], m.data.subarray(start * width, end * width));
};

/**
 * A sequence density's compiled step over training sequences (float32 [T, visible] each), its accuracy
 * measure and its loop.
 * @example const training = new DensityTraining(rnnrbm, songs, { learningRate: 0.001, stretch: 100, seed: 1 });
 * training.run({ maxEpochs: 200, validate: training.errorOn(valid).measure, earlyStopping: ... });
 */
export class DensityTraining extends LoopTraining {
  readonly model: TrainableSequenceDensity;
  readonly trainBatches: number;
  readonly state: Map<string, SharedVariable>;
  readonly monitorName: string;
  protected readonly holder: TrainableSequenceDensity;
  private readonly songs: NDArray[][];
  private readonly seed: number;
  private readonly stepFn: (v: NDArray) => number;
  private readonly counter: FrameCounter;
  private order: NDArray[] = [];

  constructor(model: TrainableSequenceDensity, sequences: readonly NDArray[], options: DensityTrainingOptions) {
    super();
    const { stretch, learningRate, seed } = options;
    if (!Number.isInteger(stretch) || stretch < 1) throw new Error(`the training stretch must be a positive number of frames, not ${stretch}`);
    sequences.forEach((s, i) => {
      if (s.rank !== 2 || s.shape[1] !== model.visible || s.shape[0] < 1) {
        throw new Error(`training sequence ${i} is ${s.dtype}[${s.shape}]; a ${model.kind} needs frames [T ≥ 1, ${model.visible}]`);
      }
    });
    if (!sequences.length) throw new Error('the training set holds no sequence');
    this.model = model;
    this.holder = model;
    this.seed = seed;
    this.songs = sequences.map((s) => {
      const stretches: NDArray[] = [];
      for (let start = 0; start < s.shape[0]; start += stretch) {
        stretches.push(rows(s, start, Math.min(start + stretch, s.shape[0])));
      }
      return stretches;
    });
    this.trainBatches = this.songs.reduce((n, s) => n + s.length, 0);

    const v = matrix('v');
    const objective = model.objective(v);
    this.monitorName = objective.monitorName;
    const gradients = grad(objective.cost, model.params, { considerConstant: objective.considerConstant });
    const updates = [...sgd(gradients, model.params, { learningRate: shared(array(learningRate, 'float32'), 'learningRate') }), ...objective.updates];
    const step = fn([v], objective.monitor, { updates, name: `train ${model.kind}` });
    this.stepFn = (frames) => step(frames) as number;
    this.state = trainingState(objective.monitor, updates, []);
    this.counter = new FrameCounter(model);
  }

  /** 1 − the frame-level accuracy on `sequences`: the error the loop's early stopping minimises. */
  errorOn(sequences: readonly NDArray[]): ErrorMeasure {
    return {
      examples: sequences.reduce((n, s) => n + s.shape[0], 0),
      measure: () => 1 - frameAccuracy(this.counter.counts(sequences)),
    };
  }

  protected epochStart(epoch: number): void {
    const songs = shuffleInPlace(this.songs.map((_, i) => i), this.seed, epoch);
    this.order = songs.flatMap((i) => this.songs[i]);
  }

  protected step(index: number): number {
    return this.stepFn(this.order[index]);
  }
}
