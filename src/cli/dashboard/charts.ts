// The dashboard's charts: one per measure and stage of the chosen runs, each the Vega-Lite spec of
// viz/curve-spec.ts compiled here to Vega, so that the page loads only vega. The page then adds the points
// of newer metrics lines to the chart's inline data set (named in the answer) without drawing it anew.
import { compile, type TopLevelSpec } from 'vega-lite';
import type { MetricsLine } from './run-files.js';

/** The page's choices: what x counts, a log y scale, and the moving mean's window. */
export interface ChartOptions {
  x: 'epoch' | 'iteration' | 'seconds';
  logY: boolean;
  smoothing: number;
}

/** One chart as the page gets it. */
export interface Chart {
  /** The stage drawn, or null for lines without one. */
  stage: string | null;
  measure: string;
  /** The compiled Vega spec. */
  vega: object;
  /** The name of its data set of points ({ run, x, value }), to which the page adds newer lines. */
  dataset: string;
}

export interface ChartRun {
  name: string;
  rows: readonly MetricsLine[];
}

// TODO(dash): provisional until viz/curve-spec.ts lands from the plots branch; then use its curveSpec,
// measuresOf and stagesOf and delete these three.
const AXES = new Set(['epoch', 'iteration', 'seconds', 'stage']);
function measuresOf(rows: readonly MetricsLine[]): string[] {
  return [...new Set(rows.flatMap((r) => Object.keys(r).filter((k) => !AXES.has(k) && typeof r[k] === 'number')))];
}
function stagesOf(rows: readonly MetricsLine[]): (string | undefined)[] {
  return [...new Set(rows.map((r) => r.stage))];
}
function curveSpec(runs: readonly ChartRun[], measure: string, o: ChartOptions & { stage?: string }): TopLevelSpec {
  const values = runs.flatMap((run) => run.rows.filter((r) => r.stage === o.stage && typeof r[measure] === 'number')
    .map((r) => ({ run: run.name, x: r[o.x], value: r[measure] })));
  return {
    title: o.stage ? `${measure} (${o.stage})` : measure,
    width: 420,
    height: 220,
    data: { values },
    mark: { type: 'line', point: true },
    encoding: {
      x: { field: 'x', type: 'quantitative', title: o.x },
      y: { field: 'value', type: 'quantitative', scale: o.logY ? { type: 'log' } : { zero: false } },
      color: { field: 'run', type: 'nominal', scale: { domain: runs.map((r) => r.name) } },
    },
  };
}

/**
 * The charts of some runs: for each stage in the order the lines first show it, one per measure in that stage.
 * @example buildCharts([{ name: 'mlp', rows }], { x: 'epoch', logY: false, smoothing: 1 })[0].measure // 'train_cost'
 */
export function buildCharts(runs: readonly ChartRun[], options: ChartOptions): Chart[] {
  const all = runs.flatMap((run) => run.rows);
  return stagesOf(all).flatMap((stage) => measuresOf(all.filter((r) => r.stage === stage)).map((measure) => {
    const vega = compile(curveSpec(runs, measure, { ...options, stage })).spec;
    const dataset = vega.data?.find((d) => 'values' in d)?.name;
    if (!dataset) throw new Error(`dashboard: the chart of ${measure} has no inline data set`);
    return { stage: stage ?? null, measure, vega, dataset };
  }));
}
