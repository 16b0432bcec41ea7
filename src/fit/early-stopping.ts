// Early stopping exactly as the Deep Learning Tutorials do it (chapter 3.4.3): look at `patience`
// minibatches regardless; each validation that beats the best by more than the improvement threshold
// stretches patience to iteration × patienceIncrease; stop once patience ≤ iteration. Iterations count
// minibatches from 0; validation happens when (iteration + 1) is a multiple of the frequency. The LSTM
// tutorial's own rule, counted in validations, follows (ValidationPatience).

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
export class EarlyStopping implements StoppingRule {
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

/**
 * The LSTM tutorial's rule (lstm.py), counted in validations rather than minibatches: a validation at
 * least as good as every earlier one is a new best and clears the bad count; once there are more than
 * `patience` validations, one no better than the best before the last `patience` counts as bad, and
 * training stops when the bad count exceeds `patience`.
 */
export interface ValidationPatienceOptions {
  rule: 'validations';
  /** Validations without progress tolerated (lstm.py's patience, 10). */
  patience: number;
  /** Minibatches between validations (lstm.py's validFreq, 370). */
  validationFrequency: number;
}

export interface ValidationPatienceState {
  bestLoss: number | null;
  bestIteration: number;
  /** Every validation loss so far (lstm.py's history_errs). */
  history: number[];
  badCount: number;
}

export type StoppingOptions = EarlyStoppingOptions | ValidationPatienceOptions;
export type StoppingState = EarlyStoppingState | ValidationPatienceState;

/** What the minibatch loop asks of an early-stopping rule. */
export interface StoppingRule {
  readonly frequency: number;
  readonly state: StoppingState & { bestLoss: number | null; bestIteration: number };
  isValidationPoint(iteration: number): boolean;
  observe(iteration: number, loss: number): boolean;
  shouldStop(iteration: number): boolean;
}

/**
 * lstm.py's early stopping as a state machine.
 * @example const stop = new ValidationPatience({ rule: 'validations', patience: 10, validationFrequency: 370 });
 */
export class ValidationPatience implements StoppingRule {
  readonly frequency: number;
  private readonly patience: number;
  private current: ValidationPatienceState;

  constructor(options: ValidationPatienceOptions, state?: ValidationPatienceState) {
    const { patience, validationFrequency } = options;
    if (!Number.isInteger(patience) || patience < 1) throw new Error(`early stopping: patience ${patience} must be a positive integer (validations)`);
    if (!Number.isInteger(validationFrequency) || validationFrequency < 1) throw new Error(`early stopping: validation frequency ${validationFrequency} must be a positive integer`);
    this.frequency = validationFrequency;
    this.patience = patience;
    const fresh: ValidationPatienceState = { bestLoss: null, bestIteration: -1, history: [], badCount: 0 };
    this.current = state ? { ...state, history: [...state.history] } : fresh;
  }

  get state(): ValidationPatienceState {
    return { ...this.current, history: [...this.current.history] };
  }

  isValidationPoint(iteration: number): boolean {
    return (iteration + 1) % this.frequency === 0;
  }

  observe(iteration: number, loss: number): boolean {
    const s = this.current;
    s.history.push(loss);
    const improved = s.bestLoss === null || loss <= s.bestLoss;
    if (improved) Object.assign(s, { bestLoss: loss, bestIteration: iteration, badCount: 0 });
    if (s.history.length > this.patience && loss >= Math.min(...s.history.slice(0, -this.patience))) s.badCount++;
    return improved;
  }

  shouldStop(): boolean {
    return this.current.badCount > this.patience;
  }
}

/** The rule that `options` describe, continuing from `state` when resuming. */
export function stoppingRule(options: StoppingOptions, trainBatches: number, state?: StoppingState): StoppingRule {
  if ('rule' in options) return new ValidationPatience(options, state as ValidationPatienceState | undefined);
  return new EarlyStopping(options, trainBatches, state as EarlyStoppingState | undefined);
}
