// Early stopping exactly as the Deep Learning Tutorials do it (chapter 3.4.3): look at `patience`
// minibatches regardless; each validation that beats the best by more than the improvement threshold
// stretches patience to iteration × patienceIncrease; stop once patience ≤ iteration. Iterations count
// minibatches from 0; validation happens when (iteration + 1) is a multiple of the frequency.

export interface EarlyStoppingOptions {
  /** Minibatches to look at regardless (5000 for logistic regression, 10000 for MLP and LeNet). */
  patience: number;
  /** How much longer to wait after a significant improvement: patience ≥ iteration × this (2). */
  patienceIncrease: number;
  /** A validation loss below best × this counts as significant (0.995). */
  improvementThreshold: number;
  /** Minibatches between validations; min(minibatches per epoch, ⌊patience / 2⌋) by default. */
  validationFrequency?: number;
}

/** What changes as training goes: saved in resume states. */
export interface EarlyStoppingState {
  patience: number;
  /** null until the first validation (the tutorial's numpy.inf, which JSON cannot hold). */
  bestLoss: number | null;
  /** The 0-based iteration of the best validation, -1 before the first. */
  bestIteration: number;
}

export const TUTORIAL_EARLY_STOPPING = { patienceIncrease: 2, improvementThreshold: 0.995 } as const;

/**
 * The tutorials' patience rule as a small state machine.
 * @example const stop = new EarlyStopping({ patience: 5000, patienceIncrease: 2, improvementThreshold: 0.995 }, 83);
 * if (stop.isValidationPoint(iter) && stop.observe(iter, validate())) saveBest();
 * if (stop.shouldStop(iter)) break;
 */
export class EarlyStopping {
  readonly frequency: number;
  private readonly options: EarlyStoppingOptions;
  private current: EarlyStoppingState;

  constructor(options: EarlyStoppingOptions, trainBatches: number, state?: EarlyStoppingState) {
    const { patience, patienceIncrease, improvementThreshold } = options;
    if (!Number.isInteger(patience) || patience < 1) throw new Error(`early stopping: patience ${patience} must be a positive integer (minibatches)`);
    if (!(patienceIncrease >= 1)) throw new Error(`early stopping: patience increase ${patienceIncrease} must be at least 1`);
    if (!(improvementThreshold > 0 && improvementThreshold <= 1)) throw new Error(`early stopping: improvement threshold ${improvementThreshold} must be in (0, 1]`);
    // The tutorial's note: validate at least twice before patience can run out, hence patience / 2.
    this.frequency = options.validationFrequency ?? Math.max(1, Math.min(trainBatches, Math.floor(patience / 2)));
    if (!Number.isInteger(this.frequency) || this.frequency < 1) throw new Error(`early stopping: validation frequency ${this.frequency} must be a positive integer`);
    this.options = options;
    this.current = state ? { ...state } : { patience, bestLoss: null, bestIteration: -1 };
  }

  get state(): EarlyStoppingState {
    return { ...this.current };
  }

  isValidationPoint(iteration: number): boolean {
    return (iteration + 1) % this.frequency === 0;
  }

  /** Records a validation loss; true when it is a new best (the caller then tests and checkpoints). */
  observe(iteration: number, loss: number): boolean {
    const best = this.current.bestLoss ?? Infinity;
    if (!(loss < best)) return false;
    if (loss < best * this.options.improvementThreshold) {
      this.current.patience = Math.max(this.current.patience, iteration * this.options.patienceIncrease);
    }
    this.current.bestLoss = loss;
    this.current.bestIteration = iteration;
    return true;
  }

  shouldStop(iteration: number): boolean {
    return this.current.patience <= iteration;
  }
}
