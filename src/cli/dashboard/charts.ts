// The dashboard's charts: one per measure and stage of the chosen runs, each the Vega-Lite spec of
// viz/curve-spec.ts compiled here to Vega, so that the page loads only vega. The points of newer metrics lines
// are made here too, by curve-spec's own curvePoints, and the page only inserts them into the chart's inline
// data set (named in the answer): it never reads a measure itself.
import { compile, type TopLevelSpec } from 'vega-lite';
import type { MetricsLine } from '../../train/metrics.js';
import {
  curvePoints, curveSpec, isFractionMeasure, measuresOf, stagesOf, type CurvePoint, type CurveRun,
} from '../../viz/curve-spec.js';

// Two charts with their legends side by side on a laptop's screen.
const WIDTH = 360;
const HEIGHT = 200;

/** The page's choices: what x counts, a log y scale, and the moving mean's window. */
export interface ChartOptions {
  x: 'epoch' | 'iteration' | 'seconds';
  logY: boolean;
  smoothing: number;
}

/** One chart as the page gets it. */
export interface Chart {
  /** Names the chart, and its points in the event stream (chartKey). */
  key: string;
  /** The stage drawn, or null for lines without one. */
  stage: string | null;
  measure: string;
  /** The compiled Vega spec. */
  vega: object;
  /** The name of its data set of points ({ run, x, value }), to which the page adds newer lines. */
  dataset: string;
}

/** The points one metrics line adds, by the key of the chart they go to; an empty list for a value left out. */
export type LinePoints = Record<string, CurvePoint[]>;

/** The key of the chart of a measure in a stage (undefined or null for lines without one). */
export function chartKey(stage: string | null | undefined, measure: string): string {
  return JSON.stringify([stage ?? null, measure]);
}

/**
 * The charts of some runs: for each stage in the order the lines first show it, one per measure in that stage.
 * @example buildCharts([{ name: 'mlp', rows }], { x: 'epoch', logY: false, smoothing: 1 })[0].measure // 'train_cost'
 */
export function buildCharts(runs: readonly CurveRun[], options: ChartOptions): Chart[] {
  const all = runs.flatMap((run) => run.rows);
  return stagesOf(all).flatMap((stage) => measuresOf(all.filter((r) => r.stage === stage)).map((measure) => {
    const spec = curveSpec(runs, measure, { ...options, stage, width: WIDTH, height: HEIGHT }) as TopLevelSpec;
    const vega = compile(spec).spec;
    const dataset = vega.data?.find((d) => 'values' in d)?.name;
    if (!dataset) throw new Error(`dashboard: the chart of ${measure} has no inline data set`);
    return { key: chartKey(stage, measure), stage: stage ?? null, measure, vega, dataset };
  }));
}

/**
 * For each metrics line of the run called `name`, the points it adds to the charts of `options`: every measure
 * of the line by its chart's key, as curvePoints makes them (the same fields and units as the charts' data).
 * @example linePoints('mlp', [{ epoch: 1, iteration: 100, seconds: 2, valid_error: 0.2 }], options)
 * // [{ '[null,"valid_error"]': [{ run: 'mlp', x: 1, value: 0.2 }] }]
 */
export function linePoints(name: string, rows: readonly MetricsLine[], options: ChartOptions): LinePoints[] {
  return rows.map((row) => Object.fromEntries(measuresOf([row]).map((measure) => [
    chartKey(row.stage, measure), curvePoints([{ name, rows: [row] }], measure, { ...options, stage: row.stage }),
  ])));
}

/** Of some measures, those the page shows in percent, as the charts do: errors and rates (isFractionMeasure). */
export function percentMeasures(measures: Iterable<string>): string[] {
  return [...measures].filter(isFractionMeasure);
}

/** New metrics lines of a run as its event stream sends them: each line's points, and what is in percent. */
export interface LinesUpdate {
  rows: readonly MetricsLine[];
  /** The points of rows[i] by chart key (linePoints). */
  points: LinePoints[];
  /** The measures of these lines shown in percent. */
  percent: string[];
}

/** The update that brings the page `rows` of the run called `name`, for charts of `options`. */
export function linesUpdate(name: string, rows: readonly MetricsLine[], options: ChartOptions): LinesUpdate {
  return { rows, points: linePoints(name, rows, options), percent: percentMeasures(measuresOf(rows)) };
}
