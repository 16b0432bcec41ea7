// The metrics file of a run: one JSON object per line and per validation, appended as training goes,
// so that a crash loses nothing and learning curves can be drawn from any run, finished or not.
import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import { writeFileAtomic } from '../models/model-file.js';
import type { ValidationRecord } from '../fit/index.js';

/**
 * Any line of any run's metrics.jsonl, the schema `nabla compare` and `nabla dashboard` read: a flat object
 * with the epoch, the iteration (updates so far), the seconds since the run began, the stage of a run in
 * several stages ('pretrain-1', 'finetune', 'up-down'; absent for single-stage runs) and any number of
 * numeric measures with snake_case names (errors and rates as fractions). Each measure is one picture per stage.
 */
export interface MetricsLine {
  epoch: number;
  iteration: number;
  seconds: number;
  stage?: string;
  [measure: string]: number | string | undefined;
}

/** The fields of a metrics line that are not measures. */
export const METRICS_AXES = ['epoch', 'iteration', 'seconds', 'stage'] as const;

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
export function metricsRow(record: ValidationRecord): MetricsRow {
  return {
    epoch: record.epoch,
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
export function appendMetrics(path: string, row: MetricsRow | TaggerMetricsRow): void {
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

/** Rewrites the file with the rows up to `iteration`: a resumed run drops what it will redo. */
export function truncateMetrics<Row extends { iteration: number } = MetricsRow>(
  path: string, iteration: number,
): Row[] {
  const rows = readMetrics<Row>(path).filter((r) => r.iteration <= iteration);
  writeFileAtomic(path, [new TextEncoder().encode(rows.map((r) => `${JSON.stringify(r)}\n`).join(''))]);
  return rows;
}
