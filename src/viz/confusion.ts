// Confusion matrices: counts of (true class, predicted class) pairs, and a heat map of them (Vega-Lite) with
// the count printed in each cell, shaded by the fraction of its true class (the row) so rare classes still show.
import { NDArray, formatShape } from '../ndarray/index.js';
import type { TopLevelSpec } from 'vega-lite';
import type { ChartSpec } from './curve-spec.js';
import { writeChart, type ChartFiles } from './chart.js';

function labelsOf(values: ArrayLike<number> | NDArray, what: string): ArrayLike<number> {
  if (!(values instanceof NDArray)) return values;
  if (values.rank !== 1) throw new Error(`confusionMatrix: ${what} is ${values.dtype}${formatShape(values.shape)}, not a vector of class labels`);
  return values.data;
}

/**
 * Counts: entry [t, p] is how many examples of true class t were predicted as p (rows true, as in scikit-learn).
 * @example confusionMatrix([0, 1, 1], [0, 1, 0]).toArray() // [[1, 1], [0, 1]]
 */
export function confusionMatrix(
  predicted: ArrayLike<number> | NDArray, actual: ArrayLike<number> | NDArray, numClasses?: number,
): NDArray {
  const p = labelsOf(predicted, 'predicted');
  const t = labelsOf(actual, 'actual');
  if (p.length !== t.length) throw new Error(`confusionMatrix: ${p.length} predictions for ${t.length} true labels`);
  let k = numClasses ?? 0;
  for (let i = 0; i < p.length; i++) {
    for (const [value, what] of [[p[i], 'predicted'], [t[i], 'actual']] as const) {
      if (!Number.isInteger(value) || value < 0 || (numClasses !== undefined && value >= numClasses)) {
        const range = numClasses === undefined ? 'a non-negative integer' : `an integer in [0, ${numClasses})`;
        throw new Error(`confusionMatrix: ${what} label ${value} at index ${i} is not ${range}`);
      }
      if (numClasses === undefined) k = Math.max(k, value + 1);
    }
  }
  const counts = new NDArray('int32', [k, k]);
  for (let i = 0; i < p.length; i++) counts.data[t[i] * k + p[i]]++;
  return counts;
}

export interface ConfusionPlotOptions {
  /** Class names in label order; 0, 1, 2, ... by default. */
  labels?: string[];
  title?: string;
}

/**
 * The Vega-Lite spec of a confusion matrix [k, k]'s heat map: true classes down, predicted across, the count in
 * each cell, shaded by the fraction of its true class (the row) so that rare classes still show.
 * @example await writeChart('out/confusion', confusionSpec(confusionMatrix(pred, y), { title: 'test' }));
 */
export function confusionSpec(matrix: NDArray, options: ConfusionPlotOptions = {}): ChartSpec {
  const k = matrix.shape[0];
  if (matrix.rank !== 2 || matrix.shape[1] !== k || k === 0) {
    throw new Error(`confusionSpec: matrix is ${matrix.dtype}${formatShape(matrix.shape)}, not square [k, k]`);
  }
  const labels = options.labels ?? Array.from({ length: k }, (_, i) => String(i));
  if (labels.length !== k) throw new Error(`confusionSpec: ${labels.length} labels for ${k} classes`);
  const values = [];
  for (let row = 0; row < k; row++) {
    let total = 0;
    for (let col = 0; col < k; col++) total += matrix.data[row * k + col];
    for (let col = 0; col < k; col++) {
      const count = matrix.data[row * k + col];
      values.push({ actual: labels[row], predicted: labels[col], count, fraction: total > 0 ? count / total : 0 });
    }
  }
  const longest = Math.max(...values.map((v) => String(v.count).length), ...labels.map((l) => l.length));
  const step = Math.max(26, 8 * longest + 10);
  const axis = (title: string) => ({ field: title === 'true' ? 'actual' : 'predicted', type: 'ordinal' as const, sort: labels, title });
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    ...(options.title ? { title: options.title } : {}),
    background: 'white',
    padding: 8,
    width: { step },
    height: { step },
    data: { values },
    encoding: {
      x: { ...axis('predicted'), axis: { orient: 'top', labelAngle: 0 } },
      y: axis('true'),
    },
    layer: [
      {
        mark: { type: 'rect', stroke: 'white', strokeWidth: 0.5 },
        encoding: {
          color: { field: 'fraction', type: 'quantitative', scale: { scheme: 'blues', domain: [0, 1] }, title: 'share of row', legend: { format: '.0%' } },
        },
      },
      {
        mark: { type: 'text', fontSize: 11 },
        encoding: {
          text: { field: 'count', type: 'quantitative' },
          color: { condition: { test: 'datum.fraction > 0.5', value: 'white' }, value: 'black' },
        },
      },
    ],
  } satisfies TopLevelSpec;
}

/**
 * Writes the heat map of a confusion matrix as SVG and PNG (path with or without .svg/.png; folder created).
 * @example await writeConfusion('out/confusion.png', confusionMatrix(predicted, test.y, 10));
 */
export async function writeConfusion(
  path: string, matrix: NDArray, options: ConfusionPlotOptions = {},
): Promise<ChartFiles> {
  return writeChart(path, confusionSpec(matrix, options));
}
