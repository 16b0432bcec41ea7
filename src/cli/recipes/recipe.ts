// A recipe is what `nabla train NAME` runs: it declares its options (with defaults), parses them, builds
// the model, trains it, writes its pictures and returns the summary that --json prints. Supervised and
// unsupervised models alike fit this shape; recipes/index.ts maps names to recipes.
import type { OptionSpecs, RawOptions } from './options.js';

/** The JSON summary of a run; errors are fractions (0.0749 for 7.49%). */
export interface RunSummary {
  model: string;
  dataset: string;
  epochs: number;
  best_valid_error: number;
  test_error: number;
  seconds: number;
  backend: string;
  model_path: string;
  [key: string]: unknown;
}

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
