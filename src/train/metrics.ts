// The metrics file of a run: one JSON object per line and per validation, appended as training goes,
// so that a crash loses nothing and learning curves can be drawn from any run, finished or not.
import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import { writeFileAtomic } from '../models/model-file.js';
import type { ValidationRecord } from '../fit/index.js';
import type { MetricsLine } from './metrics-line.js';

export { METRICS_AXES, type MetricsLine } from './metrics-line.js';

/** A classifier's line of metrics.jsonl; errors are fractions (0.0749 for 7.49%). */
export interface MetricsRow extends MetricsLine {
  epoch: number;
  iteration: number;
  train_cost: number;
  valid_error: number;
  best_valid_error: number;
  /** Test error of the best model so far. */
  test_error: number;
  /** Training seconds since the run began. */
  seconds: number;
}

/** A line of an ATIS tagger's metrics.jsonl, one per epoch; rates are fractions (conlleval prints percent). */
export interface TaggerMetricsRow extends MetricsLine {
  epoch: number;
  /** Sentence updates so far. */
  iteration: number;
  train_cost: number;
  learning_rate: number;
  valid_precision: number;
  valid_recall: number;
  valid_f1: number;
  test_f1: number;
  best_valid_f1: number;
  /** Test F1 of the best model so far. */
  test_f1_of_best: number;
  /** Training seconds since the run began. */
  seconds: number;
}

/** The metrics row of a validation record. */
export function metricsRow(record: ValidationRecord, stage?: string): MetricsRow {
  return {
    epoch: record.epoch,
    ...(stage === undefined ? {} : { stage }),
    iteration: record.iteration,
    train_cost: record.trainCost,
    valid_error: record.validError,
    best_valid_error: record.bestValidError,
    test_error: record.testError,
    seconds: Number(record.seconds.toFixed(3)),
  };
}

/**
 * Appends one row to a metrics file.
 * @example appendMetrics('runs/mlp/metrics.jsonl', metricsRow(record));
 */
export function appendMetrics(path: string, row: MetricsLine): void {
  appendFileSync(path, `${JSON.stringify(row)}\n`);
}

/**
 * Reads a metrics file (none yet gives no rows); a line that is not JSON is an error naming its number.
 * @example readMetrics('runs/mlp/metrics.jsonl').map((r) => r.valid_error)
 */
export function readMetrics<Row extends { iteration: number } = MetricsRow>(path: string): Row[] {
  if (!existsSync(path)) return [];
  const lines = readFileSync(path, 'utf8').split('\n');
  const rows: Row[] = [];
  lines.forEach((line, i) => {
    if (!line.trim()) return;
    try {
      rows.push(JSON.parse(line) as Row);
    } catch {
      // A kill can cut the last line short; anything earlier is damage worth reporting.
      if (i < lines.length - 1 && lines.slice(i + 1).some((l) => l.trim())) throw new Error(`${path}: line ${i + 1} is not JSON`);
    }
  });
  return rows;
}

/**
 * Rewrites the file with the rows `keep` accepts and returns them: a resumed stage drops what it will redo, a
 * fresh one what an earlier run of it left.
 * @example keepMetrics('runs/dbn/metrics.jsonl', (r) => r.stage !== 'up-down')
 */
export function keepMetrics<Row extends { iteration: number } = MetricsRow>(
  path: string, keep: (row: Row) => boolean,
): Row[] {
  const rows = readMetrics<Row>(path);
  const kept = rows.filter(keep);
  // Always rewritten: a line a kill cut short goes too, or the next line appended would join it.
  writeFileAtomic(path, [new TextEncoder().encode(kept.map((r) => `${JSON.stringify(r)}\n`).join(''))]);
  return kept;
}

/** Rewrites the file with the rows up to `iteration` (of `stage` only, when given; other stages' rows stay). */
export function truncateMetrics<Row extends { iteration: number; stage?: string } = MetricsRow>(
  path: string, iteration: number, stage?: string,
): Row[] {
  return keepMetrics<Row>(path, (r) => r.stage !== stage || r.iteration <= iteration).filter((r) => r.stage === stage);
}

/** A monitor's name as a measure's: 'reconstruction cross-entropy' → 'reconstruction_cross_entropy'. */
export const measureName = (name: string) => name.toLowerCase().replace(/[^a-z0-9]+/g, '_').replace(/^_+|_+$/g, '');
