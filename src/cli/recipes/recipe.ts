// A recipe is what `nabla train NAME` runs: it declares its options (with defaults), parses them, builds
// the model, trains it, writes its pictures and returns the summary that --json prints. Supervised and
// unsupervised models alike fit this shape; recipes/index.ts maps names to recipes.
import type { OptionSpecs, RawOptions } from './options.js';

/** What every run's JSON summary holds. */
interface RunSummaryBase {
  model: string;
  dataset: string;
  epochs: number;
  seconds: number;
  backend: string;
  model_path: string;
  [key: string]: unknown;
}

/** A classifier's summary; errors are fractions (0.0749 for 7.49%), null for an unsupervised model. */
export interface ErrorRunSummary extends RunSummaryBase {
  best_valid_error: number | null;
  test_error: number | null;
}

/** A tagger's summary: conlleval's chunk F1 as fractions (0.9448 for an F1 of 94.48). */
export interface F1RunSummary extends RunSummaryBase {
  best_valid_f1: number;
  test_f1: number;
}

/** A sequence density's summary: frame-level accuracy as fractions (absent when the run was interrupted). */
export interface AccuracyRunSummary extends RunSummaryBase {
  best_valid_accuracy?: number;
  test_accuracy?: number;
  monitor: number | null;
}

/** The JSON summary of a run: every rate a fraction. */
export type RunSummary = ErrorRunSummary | F1RunSummary | AccuracyRunSummary;

/** Whether a summary reports F1 (a tagger's) rather than errors. */
export const isF1Summary = (summary: RunSummary): summary is F1RunSummary => typeof summary.best_valid_f1 === 'number';

/** Whether a summary reports frame-level accuracy (a sequence density's). */
export const isAccuracySummary = (summary: RunSummary): summary is AccuracyRunSummary => 'monitor' in summary;

/** How a run is driven beyond its options: for tests and embedding. */
export interface RunContext {
  /** Print no progress. */
  quiet?: boolean;
  /** Stop after this many iterations without finishing, as a killed run would (tests of --resume). */
  stopAfter?: number;
}

export interface Recipe {
  name: string;
  /** One line for `nabla train --help`. */
  description: string;
  /** Every option the recipe takes, with its defaults (shown by `nabla train NAME --help`). */
  options: OptionSpecs;
  /**
   * Parses `raw` (camelCase keys, string values as typed) and runs.
   * @example await recipe.run({ epochs: '2', limit: '1000' }, { quiet: true })
   */
  run(raw: RawOptions, context?: RunContext): Promise<RunSummary>;
}
