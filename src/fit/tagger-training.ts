// The training of the ATIS tutorial's tagger (rnnslu.py): epochs of one SGD update per sentence in a
// reshuffled order, then the validation and test sets tagged and scored by conlleval. The best model is
// the one of the highest validation F1; after `decayPatience` epochs without a new best the learning
// rate is halved, and training stops once it falls below `minLearningRate` or after `maxEpochs`.
import type { NDArray } from '../ndarray/index.js';
import { host } from '../backends/host.js';
import { shuffleInPlace } from '../random/index.js';
import { conlleval, type ChunkScore } from './conlleval.js';
import type { TaggedSentence, TrainableTagger } from './trainable.js';

export interface TaggerTrainingOptions {
  learningRate: number;
  maxEpochs: number;
  /** Seed of the order of the sentences in each epoch. */
  seed: number;
  /** Halve the learning rate when validation F1 stops improving (the tutorial's `decay`). */
  decay: boolean;
  /** Epochs since the best one after which the rate is halved: 10 in the tutorial. */
  decayPatience: number;
  /** Training stops once the rate falls below this: 1e-5 in the tutorial. */
  minLearningRate: number;
}

/** The sentences a tagger trains on, is selected on (best validation F1) and is tested on. */
export interface TaggerData {
  train: readonly TaggedSentence[];
  valid: readonly TaggedSentence[];
  test: readonly TaggedSentence[];
}

/** The tutorial's settings (rnnslu.py's defaults). */
export const RNNSLU_TRAINING = {
  learningRate: 0.0970806646812754, maxEpochs: 60, seed: 345, decay: true, decayPatience: 10, minLearningRate: 1e-5,
} as const satisfies TaggerTrainingOptions;

/** Everything the loop needs to continue after an epoch, with the parameters saved beside it. */
export interface TaggerLoopState {
  epochsDone: number;
  /** The rate of the next epoch. */
  learningRate: number;
  /** 1-based epoch of the best validation F1; 0 before any. */
  bestEpoch: number;
  bestValid: ChunkScore | null;
  /** The test score of the best model. */
  testAtBest: ChunkScore | null;
  /** Whether a halving has put the best parameters back since the best epoch (see `run`). */
  reloadedSinceBest: boolean;
  seconds: number;
  cpuSeconds: number;
}

/** One epoch: what metrics rows and progress lines report. */
export interface TaggerEpochRecord {
  epoch: number;
  /** Sentence updates so far. */
  iteration: number;
  /** Mean cost (per-word negative log-likelihood) over the epoch's sentences. */
  trainCost: number;
  /** The rate this epoch trained at. */
  learningRate: number;
  valid: ChunkScore;
  test: ChunkScore;
  improved: boolean;
  bestEpoch: number;
  bestValid: ChunkScore;
  testAtBest: ChunkScore;
  seconds: number;
}

export interface TaggerHooks {
  epochStart?(epoch: number, sentences: number): void;
  step?(sentence: number, cost: number): void;
  /** After an epoch that found a new best, before `epochEnd`: save the best model. */
  newBest?(record: TaggerEpochRecord): void;
  /** After every epoch, with the state to resume from (the model then holds the parameters to continue with). */
  epochEnd?(record: TaggerEpochRecord, state: TaggerLoopState): void;
}

export type TaggerStopReason = 'learning-rate' | 'epochs' | 'interrupted';

export interface TaggerResult {
  epochs: number;
  bestEpoch: number;
  bestValid: ChunkScore;
  testAtBest: ChunkScore;
  learningRate: number;
  stoppedBy: TaggerStopReason;
  seconds: number;
  cpuSeconds: number;
}

/**
 * Trains a tagger on sentences as the ATIS tutorial does; `best` holds the parameters of the best epoch.
 * @example const training = new TaggerTraining(model, atis, RNNSLU_TRAINING); const result = training.run();
 * training.restoreBest();
 */
export class TaggerTraining {
  /** The parameters of the best validation F1 so far, by name. */
  best: Record<string, NDArray> = {};
  private readonly model: TrainableTagger;
  private readonly data: TaggerData;
  private readonly options: TaggerTrainingOptions;

  constructor(
    model: TrainableTagger,
    data: TaggerData,
    options: TaggerTrainingOptions,
  ) {
    if (!data.train.length || !data.valid.length) throw new Error(`${model.kind}: training needs training and validation sentences (${data.train.length} and ${data.valid.length} given)`);
    this.model = model;
    this.data = data;
    this.options = options;
  }

  /**
   * conlleval's scores of the model's tags on sentences.
   * @example training.evaluate(atis.test).f1 // 0.94
   */
  evaluate(sentences: readonly TaggedSentence[]): ChunkScore {
    const names = this.model.labels;
    const gold = sentences.map((s) => Array.from(s.labels, (l) => names[l]));
    const guessed = sentences.map((s) => Array.from(this.model.tag(s.words), (l) => names[l]));
    return conlleval(gold, guessed);
  }

  /**
   * The order of the training sentences in a 1-based epoch. The tutorial shuffles its lists in place
   * each epoch, so an epoch's order is every earlier epoch's shuffle applied in turn.
   */
  epochOrder(epoch: number): number[] {
    const order = Array.from(this.data.train, (_, i) => i);
    for (let e = 1; e <= epoch; e++) shuffleInPlace(order, this.options.seed, e);
    return order;
  }

  /**
   * Runs epochs from `resume` (or the beginning) until the rate falls below its minimum, `maxEpochs`,
   * or `stopAfter` sentence updates in all (as a killed run would stop, without finishing the epoch).
   * A halving puts the best parameters back, but only the first since the best epoch: in rnnslu.py,
   * `rnn = best_rnn` makes the two names one model, so later halvings continue from where they are.
   */
  run(run: { resume?: TaggerLoopState; stopAfter?: number; hooks?: TaggerHooks } = {}): TaggerResult {
    const { model, options, data } = this;
    const hooks = run.hooks ?? {};
    let state: TaggerLoopState = run.resume ?? {
      epochsDone: 0, learningRate: options.learningRate, bestEpoch: 0, bestValid: null, testAtBest: null,
      reloadedSinceBest: false, seconds: 0, cpuSeconds: 0,
    };
    const started = performance.now() / 1000 - state.seconds;
    const cpuStarted = host().cpuSeconds() - state.cpuSeconds;
    let stoppedBy: TaggerStopReason = state.learningRate < options.minLearningRate ? 'learning-rate' : 'epochs';
    let iteration = state.epochsDone * data.train.length;
    for (let epoch = state.epochsDone + 1; epoch <= options.maxEpochs && stoppedBy === 'epochs'; epoch++) {
      hooks.epochStart?.(epoch, data.train.length);
      let costSum = 0;
      const order = this.epochOrder(epoch);
      for (let k = 0; k < order.length; k++) {
        const cost = model.trainSentence(data.train[order[k]], state.learningRate);
        if (!Number.isFinite(cost)) throw new Error(`training diverged: the cost is ${cost} at epoch ${epoch}, sentence ${k + 1}; try a smaller learning rate`);
        costSum += cost;
        iteration++;
        hooks.step?.(k + 1, cost);
        if (run.stopAfter !== undefined && iteration >= run.stopAfter) {
          stoppedBy = 'interrupted';
          break;
        }
      }
      if (stoppedBy === 'interrupted') break;
      const valid = this.evaluate(data.valid);
      const test = this.evaluate(data.test);
      const improved = state.bestValid === null || valid.f1 > state.bestValid.f1;
      const trainedAt = state.learningRate;
      state = { ...state, epochsDone: epoch };
      if (improved) {
        this.best = Object.fromEntries(model.params.map((p) => [p.name!, p.get()]));
        state = { ...state, bestEpoch: epoch, bestValid: valid, testAtBest: test, reloadedSinceBest: false };
      }
      const record: TaggerEpochRecord = {
        epoch, iteration, trainCost: costSum / order.length, learningRate: trainedAt, valid, test, improved,
        bestEpoch: state.bestEpoch, bestValid: state.bestValid!, testAtBest: state.testAtBest!,
        seconds: performance.now() / 1000 - started,
      };
      if (options.decay && epoch - state.bestEpoch >= options.decayPatience) {
        state = { ...state, learningRate: state.learningRate * 0.5 };
        if (!state.reloadedSinceBest) {
          this.restoreBest();
          state = { ...state, reloadedSinceBest: true };
        }
      }
      if (state.learningRate < options.minLearningRate) stoppedBy = 'learning-rate';
      state = { ...state, seconds: performance.now() / 1000 - started, cpuSeconds: host().cpuSeconds() - cpuStarted };
      if (improved) hooks.newBest?.(record);
      hooks.epochEnd?.(record, state);
    }
    return {
      epochs: state.epochsDone, bestEpoch: state.bestEpoch, bestValid: state.bestValid!, testAtBest: state.testAtBest!,
      learningRate: state.learningRate, stoppedBy,
      seconds: performance.now() / 1000 - started, cpuSeconds: host().cpuSeconds() - cpuStarted,
    };
  }

  /** Gives the model the best parameters seen, if an epoch has ended. */
  restoreBest(): void {
    for (const p of this.model.params) {
      const value = this.best[p.name!];
      if (value) p.set(value);
    }
  }
}
