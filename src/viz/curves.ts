// A run's learning curves from its metrics lines: one picture per measure and stage, as SVG and PNG files.
import { join } from 'node:path';
import type { MetricsLine } from '../train/metrics.js';
import { writeChart } from './chart.js';
import { curveSpec, curveTitle, measuresOf, stagesOf, type CurveRun, type CurveSpecOptions } from './curve-spec.js';

/** The file name (no extension) of a measure's curves: curves-valid_error, curves-pretrain-1-reconstruction_cost. */
export const curveFile = (measure: string, stage?: string) => `curves-${stage === undefined ? '' : `${stage}-`}${measure}`;

/**
 * Draws every measure of every stage of one or more runs' metrics lines, the runs on the same axes, into
 * `out` (curves-MEASURE.svg and .png, curves-STAGE-MEASURE.* for runs in stages), or only `measures`;
 * returns the PNG paths by 'measure' or 'stage/measure'.
 * @example await writeRunCurves('runs/mlp', [{ name: 'mlp', rows: readMetrics('runs/mlp/metrics.jsonl') }])
 */
export async function writeRunCurves(
  out: string, runs: readonly CurveRun[],
  options: Omit<CurveSpecOptions, 'stage' | 'title'> & { title?: string; measures?: readonly string[] } = {},
): Promise<Record<string, string>> {
  const rows = runs.flatMap((r) => r.rows);
  const drawn = (measure: string) => options.measures?.includes(measure) ?? true;
  const paths: Record<string, string> = {};
  for (const stage of stagesOf(rows)) {
    for (const measure of measuresOf(rows.filter((r: MetricsLine) => r.stage === stage)).filter(drawn)) {
      const title = options.title ? `${options.title}: ${curveTitle(measure, stage)}` : undefined;
      const spec = curveSpec(runs, measure, { ...options, stage, title });
      const files = await writeChart(join(out, curveFile(measure, stage)), spec);
      paths[stage === undefined ? measure : `${stage}/${measure}`] = files.png;
    }
  }
  return paths;
}
