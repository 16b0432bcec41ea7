// The dashboard's charts: one per measure and stage of the chosen runs, each the Vega-Lite spec of
// viz/curve-spec.ts compiled here to Vega, so that the page loads only vega. The page then adds the points
// of newer metrics lines to the chart's inline data set (named in the answer) without drawing it anew.
import { compile, type TopLevelSpec } from 'vega-lite';
import { curveSpec, measuresOf, stagesOf, type CurveRun } from '../../viz/curve-spec.js';

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
  /** The stage drawn, or null for lines without one. */
  stage: string | null;
  measure: string;
  /** The compiled Vega spec. */
  vega: object;
  /** The name of its data set of points ({ run, x, value }), to which the page adds newer lines. */
  dataset: string;
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
    return { stage: stage ?? null, measure, vega, dataset };
  }));
}
