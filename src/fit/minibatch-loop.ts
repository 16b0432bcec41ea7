// The minibatch loop of the tutorials: epochs of minibatch steps, validation every `frequency` steps,
// the test error measured whenever validation finds a new best, early stopping by patience (without a
// validation set, every epoch runs). Hooks let callers checkpoint, log and report; a LoopState taken at
// a validation resumes the loop exactly there.
import { host } from '../backends/host.js';
import { stoppingRule, type StoppingOptions, type StoppingState } from './early-stopping.js';

/** Everything the loop needs to continue from a validation point. */
export interface LoopState {
  /** The next 0-based iteration (minibatch step) to run. */
  iteration: number;
  earlyStopping: StoppingState;
  /** The test error of the best model so far; null before the first validation. */
  testError: number | null;
  /** Training seconds spent before this point (resumed runs add to it). */
  seconds: number;
  /** Processor seconds of this process (all threads) before this point; absent in states of older runs. */
  cpuSeconds?: number;
}

/** One validation: what the metrics file and progress lines report. */
export interface ValidationRecord {
  epoch: number;
  /** Minibatches done so far (1-based, as the tutorial prints best_iter + 1). */
  iteration: number;
  /** The minibatch within the epoch (1-based). */
  minibatch: number;
  /** Mean training cost of the minibatches since the previous validation. */
  trainCost: number;
  validError: number;
  bestValidError: number;
  /** Test error of the best model so far. */
  testError: number;
  improved: boolean;
  seconds: number;
}

export interface LoopHooks {
  /** Before each epoch's first step (and once when a resumed run enters its epoch): learning-rate schedules. */
  epochStart?(epoch: number): void;
  /** After each step, for progress bars. */
  step?(epoch: number, minibatch: number, cost: number): void;
  /** After a validation that found a new best, before onValidation: save the best model. */
  newBest?(record: ValidationRecord): void;
  /** After every validation, with the state to resume from: metrics rows and resume snapshots. */
  validation?(record: ValidationRecord, state: LoopState): void;
}

export interface LoopOptions {
  /** Minibatches per epoch. */
  trainBatches: number;
  maxEpochs: number;
  /** Trains on minibatch `index` and returns its cost. */
  step(index: number): number;
  /** The error on the validation set; without one the loop runs every epoch, without early stopping. */
  validate?(): number;
  /** The error on the test set, measured at each new best validation error. */
  test?(): number;
  /** The tutorials' patience in minibatches, or lstm.py's in validations ({ rule: 'validations', ... }). */
  earlyStopping: StoppingOptions;
  hooks?: LoopHooks;
  /** Continue from a snapshot taken at a validation. */
  resume?: LoopState;
  /** Return after this many iterations in all, as a killed run would (tests of resuming use it). */
  stopAfter?: number;
  /** Seconds since some origin; performance.now() / 1000 by default. */
  clock?: () => number;
  /**
   * Processor seconds used so far; the host's (process.cpuUsage() in Node) by default. On a shared machine it measures
   * the work better than `clock`.
   */
  cpuClock?: () => number;
}

export type StopReason = 'patience' | 'epochs' | 'interrupted';

export interface LoopResult {
  /** Epochs begun (the tutorial's `epoch` when the loop ends). */
  epochs: number;
  iterations: number;
  bestValidError: number;
  /** 1-based iteration of the best validation. */
  bestIteration: number;
  testError: number;
  seconds: number;
  cpuSeconds: number;
  stoppedBy: StopReason;
}

/**
 * Runs minibatch SGD with the tutorials' early stopping.
 * @example const result = runLoop({ trainBatches: 83, maxEpochs: 1000, step, validate, test,
 *   earlyStopping: { patience: 5000, patienceIncrease: 2, improvementThreshold: 0.995 } });
 */
export function runLoop(options: LoopOptions): LoopResult {
  const { trainBatches, maxEpochs, hooks = {} } = options;
  if (!Number.isInteger(trainBatches) || trainBatches < 1) throw new Error(`training loop: ${trainBatches} minibatches per epoch; need at least one`);
  if (!Number.isInteger(maxEpochs) || maxEpochs < 1) throw new Error(`training loop: epochs ${maxEpochs} must be a positive integer`);
  const clock = options.clock ?? (() => performance.now() / 1000);
  const stopping = stoppingRule(options.earlyStopping, trainBatches, options.resume?.earlyStopping);
  let iteration = options.resume?.iteration ?? 0;
  let testError = options.resume?.testError ?? null;
  const cpuClock = options.cpuClock ?? host().cpuSeconds;
  const started = clock() - (options.resume?.seconds ?? 0);
  const cpuStarted = cpuClock() - (options.resume?.cpuSeconds ?? 0);
  let costSum = 0;
  let costCount = 0;
  let epoch = Math.floor(iteration / trainBatches) + 1;
  let stoppedBy: StopReason = 'epochs';

  epochs: for (; epoch <= maxEpochs; epoch++) {
    hooks.epochStart?.(epoch);
    for (let minibatch = iteration % trainBatches; minibatch < trainBatches; minibatch++) {
      const cost = options.step(minibatch);
      if (!Number.isFinite(cost)) throw new Error(`training diverged: the cost is ${cost} at epoch ${epoch}, minibatch ${minibatch + 1}; try a smaller learning rate`);
      costSum += cost;
      costCount++;
      const current = iteration++;
      hooks.step?.(epoch, minibatch + 1, cost);
      if (options.validate && stopping.isValidationPoint(current)) {
        const validError = options.validate();
        const improved = stopping.observe(current, validError);
        if (improved) testError = options.test?.() ?? NaN;
        const record: ValidationRecord = {
          epoch, iteration: current + 1, minibatch: minibatch + 1, trainCost: costSum / costCount, validError,
          bestValidError: stopping.state.bestLoss!, testError: testError!, improved, seconds: clock() - started,
        };
        costSum = 0;
        costCount = 0;
        if (improved) hooks.newBest?.(record);
        hooks.validation?.(record, {
          iteration, earlyStopping: stopping.state, testError,
          seconds: record.seconds, cpuSeconds: cpuClock() - cpuStarted,
        });
      }
      if (options.stopAfter !== undefined && iteration >= options.stopAfter) {
        stoppedBy = 'interrupted';
        break epochs;
      }
      if (options.validate && stopping.shouldStop(current)) {
        stoppedBy = 'patience';
        break epochs;
      }
    }
  }
  const state = stopping.state;
  return {
    epochs: Math.min(epoch, maxEpochs),
    iterations: iteration,
    bestValidError: state.bestLoss ?? NaN,
    bestIteration: state.bestIteration + 1,
    testError: testError ?? NaN,
    seconds: clock() - started,
    cpuSeconds: cpuClock() - cpuStarted,
    stoppedBy,
  };
}
