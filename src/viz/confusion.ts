// Confusion matrices: counts of (true class, predicted class) pairs, and a heat map of them with the
// count printed in each cell, shaded by the fraction of its true class (the row) so rare classes still show.
import { NDArray, formatShape } from '../ndarray/index.js';
import { BLACK, Canvas, WHITE, textHeight, type Color } from './canvas.js';
import { textWidth } from './font.js';
import { writePng } from './png.js';

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

const LOW: Color = [247, 251, 255]; // matplotlib's "Blues" ends
const HIGH: Color = [8, 48, 107];
const PAD = 8;

function shade(fraction: number): Color {
  const mix = (c: number) => Math.round(LOW[c] + (HIGH[c] - LOW[c]) * fraction);
  return [mix(0), mix(1), mix(2)];
}

/**
 * A heat map of a confusion matrix [k, k]: true classes down, predicted across, counts in the cells.
 * @example writePng('out/confusion.png', renderConfusionMatrix(confusionMatrix(pred, y), { title: 'test' }));
 */
export function renderConfusionMatrix(matrix: NDArray, options: ConfusionPlotOptions = {}): Canvas {
  const k = matrix.shape[0];
  if (matrix.rank !== 2 || matrix.shape[1] !== k || k === 0) {
    throw new Error(`renderConfusionMatrix: matrix is ${matrix.dtype}${formatShape(matrix.shape)}, not square [k, k]`);
  }
  const labels = options.labels ?? Array.from({ length: k }, (_, i) => String(i));
  if (labels.length !== k) throw new Error(`renderConfusionMatrix: ${labels.length} labels for ${k} classes`);
  const counts = Array.from(matrix.data, (v) => String(v));
  const cell = Math.max(24, ...counts.map((c) => textWidth(c) + 8), ...labels.map((l) => textWidth(l) + 6));
  const rowLabelWidth = Math.max(textWidth('true'), ...labels.map((l) => textWidth(l)));
  const lineHeight = textHeight() + 6;
  const left = PAD + rowLabelWidth + 8;
  const top = PAD + (options.title ? 2 * textHeight() + 8 : 0) + 2 * lineHeight;
  const canvas = new Canvas(left + k * cell + PAD, top + k * cell + PAD, WHITE);

  if (options.title) canvas.text((canvas.width - textWidth(options.title, 2)) / 2, PAD, options.title, BLACK, 2);
  canvas.text(left + (k * cell - textWidth('predicted')) / 2, top - 2 * lineHeight, 'predicted', BLACK);
  canvas.text(PAD, top - lineHeight, 'true', BLACK);
  for (let row = 0; row < k; row++) {
    let total = 0;
    for (let col = 0; col < k; col++) total += matrix.data[row * k + col];
    const y = top + row * cell;
    canvas.text(left - 8 - textWidth(labels[row]), y + (cell - textHeight()) / 2, labels[row], BLACK);
    for (let col = 0; col < k; col++) {
      const x = left + col * cell;
      const fraction = total > 0 ? matrix.data[row * k + col] / total : 0;
      canvas.fillRect(x, y, cell, cell, shade(fraction));
      const text = counts[row * k + col];
      canvas.text(
        x + (cell - textWidth(text)) / 2, y + (cell - textHeight()) / 2, text, fraction > 0.5 ? WHITE : BLACK,
      );
    }
  }
  labels.forEach((label, col) =>
    canvas.text(left + col * cell + (cell - textWidth(label)) / 2, top - lineHeight, label, BLACK));
  canvas.strokeRect(left - 1, top - 1, k * cell + 2, k * cell + 2, [64, 64, 64]);
  return canvas;
}

/**
 * Writes the heat map of a confusion matrix to a PNG file (parent folder created).
 * @example writeConfusionPng('out/confusion.png', confusionMatrix(predicted, test.y, 10));
 */
export function writeConfusionPng(path: string, matrix: NDArray, options: ConfusionPlotOptions = {}): Canvas {
  const canvas = renderConfusionMatrix(matrix, options);
  writePng(path, canvas);
  return canvas;
}
