// The Vega-Lite spec of one measure's learning curves: several runs on the same axes, one colour per run.
// Free of Node imports: `nabla compare` renders it to SVG and PNG, the dashboard's page draws it in the browser.
import type { TopLevelSpec } from 'vega-lite';

/**
 * A Vega-Lite spec as nabla's declarations name it. vega-lite's own TopLevelSpec checks the specs here but
 * stays out of the published types: its declarations fail to compile in a project with
 * exactOptionalPropertyTypes unless the project skips library checks.
 */
export type ChartSpec = object;
import { METRICS_AXES, type MetricsLine } from '../train/metrics-line.js';

/** One run's curve: its name in the legend and its metrics lines (any stages; the spec keeps one). */
export interface CurveRun {
  name: string;
  rows: readonly MetricsLine[];
}

export interface CurveSpecOptions {
  /** The stage drawn; lines without a stage otherwise. */
  stage?: string;
  /** What the x axis counts; 'epoch' by default. */
  x?: 'epoch' | 'iteration' | 'seconds';
  /** A log y scale (points ≤ 0 are left out). */
  logY?: boolean;
  /** Draws the moving mean over this many points beside the faint raw curve; 1 (none) by default. */
  smoothing?: number;
  /** 'train cost (finetune)' from the measure and stage by default. */
  title?: string;
  /** The axes' titles: the x field's name, and the measure's with spaces, by default. */
  xTitle?: string;
  yTitle?: string;
  /** The legend's title ('run' by default; null for none). */
  legendTitle?: string | null;
  /** Label the y axis in percent; by default for errors, accuracies and rates (isFractionMeasure). */
  percent?: boolean;
  /** The plotting area in pixels; 560 × 320 by default. */
  width?: number;
  height?: number;
}

/** A point of the spec's data: which run, where on x, and the measure's value. */
export interface CurvePoint {
  run: string;
  x: number;
  value: number;
}

const AXES: ReadonlySet<string> = new Set(METRICS_AXES);
const MARKERS_UP_TO = 40; // with few points (epochs), a dot on each keeps single points visible

/**
 * The measures of metrics lines in the order they first appear: every numeric field but epoch, iteration, seconds.
 * @example measuresOf(readMetrics('runs/mlp/metrics.jsonl')) // ['train_cost', 'valid_error', ...]
 */
export function measuresOf(rows: readonly MetricsLine[]): string[] {
  const seen = new Set<string>();
  for (const row of rows) {
    for (const [key, value] of Object.entries(row)) if (!AXES.has(key) && typeof value === 'number') seen.add(key);
  }
  return [...seen];
}

/**
 * The stages of metrics lines in the order they first appear; `undefined` stands for lines without a stage.
 * @example stagesOf(rows) // ['pretrain-1', 'pretrain-2', 'finetune']
 */
export function stagesOf(rows: readonly MetricsLine[]): (string | undefined)[] {
  return [...new Set(rows.map((r) => r.stage))];
}

/** Whether a measure is a fraction shown in percent: errors, accuracies and rates (valid_error, test_f1). */
export function isFractionMeasure(measure: string): boolean {
  return /(^|_)(error|accuracy|precision|recall|f1)(_|$)/.test(measure);
}

/** 'train_cost' → 'train cost', with the stage after it: 'train cost (finetune)'. */
export function curveTitle(measure: string, stage?: string): string {
  const name = measure.replace(/_/g, ' ');
  return stage === undefined ? name : `${name} (${stage})`;
}

/** The points of one measure of several runs in one stage; non-finite values (and ≤ 0 on a log scale) left out. */
export function curvePoints(runs: readonly CurveRun[], measure: string, options: CurveSpecOptions = {}): CurvePoint[] {
  const xField = options.x ?? 'epoch';
  const points: CurvePoint[] = [];
  for (const run of runs) {
    for (const row of run.rows) {
      const value = row[measure];
      const x = row[xField];
      if (row.stage !== options.stage || typeof value !== 'number' || typeof x !== 'number') continue;
      if (!Number.isFinite(value) || !Number.isFinite(x) || (options.logY && value <= 0)) continue;
      points.push({ run: run.name, x, value });
    }
  }
  return points;
}

/**
 * The Vega-Lite spec of one measure's learning curves, runs in the order given (the legend keeps it).
 * @example const spec = curveSpec([{ name: 'lr 0.1', rows }, { name: 'lr 0.01', rows: other }], 'valid_error');
 * await writeChart('out/valid_error', spec);
 */
export function curveSpec(runs: readonly CurveRun[], measure: string, options: CurveSpecOptions = {}): ChartSpec {
  const xField = options.x ?? 'epoch';
  const smoothing = Math.max(1, Math.round(options.smoothing ?? 1));
  const values = curvePoints(runs, measure, options);
  const percent = options.percent ?? isFractionMeasure(measure);
  const pointsPerRun = Math.max(0, ...runs.map((run) => values.filter((p) => p.run === run.name).length));
  const color = {
    field: 'run',
    type: 'nominal' as const,
    title: options.legendTitle === undefined ? 'run' : options.legendTitle,
    scale: { domain: runs.map((r) => r.name) },
    legend: runs.length > 1 ? { orient: 'right' as const, labelLimit: 320 } : null,
  };
  const x = {
    field: 'x',
    type: 'quantitative' as const,
    title: options.xTitle ?? xField,
    axis: xField === 'seconds' ? {} : { tickMinStep: 1, format: 'd' },
    scale: { zero: false, nice: false },
  };
  const y = (field: string) => ({
    field,
    type: 'quantitative' as const,
    title: options.yTitle ?? curveTitle(measure),
    scale: options.logY ? { type: 'log' as const, nice: false } : { zero: false },
    axis: percent ? { format: '.2~%' } : {},
  });
  const markers = pointsPerRun <= MARKERS_UP_TO && smoothing === 1;
  const raw = { mark: { type: 'line' as const, point: markers, strokeWidth: 2 }, encoding: { x, y: y('value'), color } };
  const smoothed = {
    transform: [{
      window: [{ op: 'mean' as const, field: 'value', as: 'smoothed' }],
      frame: [-(smoothing - 1), 0],
      groupby: ['run'],
      sort: [{ field: 'x' }],
    }],
    mark: { type: 'line' as const, strokeWidth: 2 },
    encoding: { x, y: y('smoothed'), color },
  };
  // The smoothed layer first, so that the legend takes its symbols from the solid lines.
  const faint = { ...raw, mark: { type: 'line' as const, strokeWidth: 1, opacity: 0.3 } };
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: options.title ?? curveTitle(measure, options.stage),
    width: options.width ?? 560,
    height: options.height ?? 320,
    background: 'white',
    padding: 8,
    data: { values },
    layer: smoothing === 1 ? [raw] : [smoothed, faint],
    config: { font: 'DejaVu Sans', axis: { gridColor: '#e6e6e6' }, title: { fontSize: 15 } },
  } satisfies TopLevelSpec;
}

/**
 * The spec of several measures of one run on the same axes, one colour per measure (validation beside test
 * error), named by `measures`' values.
 * @example measuresSpec(rows, { valid_error: 'validation', test_error: 'test' }, { title: 'errors', yTitle: 'error' })
 */
export function measuresSpec(
  rows: readonly MetricsLine[], measures: Record<string, string>, options: CurveSpecOptions = {},
): ChartSpec {
  const value = '_value'; // a field no metrics line has
  const runs = Object.entries(measures).map(([measure, name]) => ({
    name, rows: rows.map((r) => ({ ...r, [value]: r[measure] })),
  }));
  const percent = options.percent ?? Object.keys(measures).every(isFractionMeasure);
  return curveSpec(runs, value, { yTitle: '', legendTitle: null, ...options, percent, title: options.title ?? Object.values(measures).join(', ') });
}
