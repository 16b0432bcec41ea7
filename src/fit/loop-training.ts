// What every supervised training in memory shares around its compiled step: the minibatch loop with
// early stopping, keeping a copy of the best parameters at each new best validation, and giving them
// back to the model at the end. ClassifierTraining (rows of images) and SequenceTraining (padded
// sequences) differ only in their step and their error measures.
import type { NDArray } from '../ndarray/index.js';
import type { SharedVariable } from '../graph/variable.js';
import { runLoop, type LoopOptions, type LoopResult } from './minibatch-loop.js';

/** An error measured on a data set. */
export interface ErrorMeasure {
  /** The examples it counts. */
  examples: number;
  measure(): number;
}

/** The loop's settings beyond the step: how long, when to stop, what to measure, where to resume. */
export type ClassifierLoopOptions = Omit<LoopOptions, 'trainBatches' | 'step'>;

/** What keeping the best parameters needs of a model. */
export interface ParameterHolder {
  readonly params: SharedVariable[];
  /** Sets every parameter from `tensors` by name, checking names and shapes; `path` names their source in errors. */
  loadTensors(path: string, tensors: Record<string, NDArray>): unknown;
}

export abstract class LoopTraining {
  /** Minibatches per epoch. */
  abstract readonly trainBatches: number;
  /** Everything the step reads or changes besides the data, by key: what a resume state saves. */
  abstract readonly state: Map<string, SharedVariable>;
  /** The best parameters so far, by name (empty before the first validation). */
  best: Record<string, NDArray> = {};
  protected abstract readonly holder: ParameterHolder;

  /** Trains on minibatch `index` of the current epoch and returns its cost. */
  protected abstract step(index: number): number;

  /** Before each epoch's first step: schedules, shuffling. */
  protected abstract epochStart(epoch: number): void;

  /** Runs the minibatch loop, keeping the best parameters. */
  run(options: ClassifierLoopOptions): LoopResult {
    const hooks = options.hooks ?? {};
    return runLoop({
      ...options,
      trainBatches: this.trainBatches,
      step: (index) => this.step(index),
      hooks: {
        ...hooks,
        epochStart: (epoch) => {
          this.epochStart(epoch);
          hooks.epochStart?.(epoch);
        },
        newBest: (record) => {
          this.best = Object.fromEntries(this.holder.params.map((p) => [p.name!, p.get()]));
          hooks.newBest?.(record);
        },
      },
    });
  }

  /** Gives the model the best parameters seen, if any validation happened. */
  restoreBest(): void {
    if (Object.keys(this.best).length) this.holder.loadTensors('best parameters', this.best);
  }
}
