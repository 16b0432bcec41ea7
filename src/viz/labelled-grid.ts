// Rows of small grey images, each with a caption under it (a predicted class, a unit's number), and a
// title at the left of each row: originals above their adversarial versions, or one layer's units.
import { formatShape, type NDArray } from '../ndarray/index.js';
import { BLACK, Canvas, WHITE, textHeight, type Color } from './canvas.js';
import { textWidth } from './font.js';

export const RED: Color = [200, 0, 0];

export interface GridRow {
  /** Title drawn left of the row. */
  title: string;
  /** Flattened images, one per row of the array, values drawn from `range` (black) to its top (white). */
  images: NDArray;
  /** One caption per image, drawn under it. */
  captions: readonly string[];
  /** Captions drawn in red (a wrong prediction). */
  marked?: readonly boolean[];
  /** The values drawn black and white; each image stretched to its own [min, max] when absent. */
  range?: readonly [number, number];
}

export interface GridOptions {
  /** Each image pixel becomes a scale × scale square (2). */
  scale?: number;
}

const GAP = 4;

/**
 * One picture of rows of images with captions.
 * @example writePng('attack.png', labelledGrid([{ title: 'clean', images: x, captions: ['7', '2'] }], [28, 28]));
 */
export function labelledGrid(
  rows: readonly GridRow[], imageShape: readonly [number, number], { scale = 2 }: GridOptions = {},
): Canvas {
  const [h, w] = imageShape;
  for (const row of rows) {
    if (row.images.rank !== 2 || row.images.shape[1] !== h * w) {
      throw new Error(`labelledGrid: row '${row.title}' holds ${row.images.dtype}${formatShape(row.images.shape)}; expected [n, ${h * w}] for ${h}x${w} images`);
    }
  }
  const columns = Math.max(...rows.map((r) => r.images.shape[0]));
  const titleWidth = Math.max(...rows.map((r) => textWidth(r.title))) + 2 * GAP;
  const cellWidth = Math.max(w * scale, ...rows.flatMap((r) => r.captions.map((c) => textWidth(c)))) + GAP;
  const cellHeight = h * scale + textHeight() + 2 * GAP;
  const canvas = new Canvas(titleWidth + columns * cellWidth + GAP, rows.length * cellHeight + GAP, WHITE);
  rows.forEach((row, r) => {
    const top = GAP + r * cellHeight;
    canvas.text(GAP, top + (h * scale - textHeight()) / 2, row.title, BLACK);
    for (let k = 0; k < row.images.shape[0]; k++) {
      const left = titleWidth + k * cellWidth;
      const pixels = row.images.data.subarray(k * h * w, (k + 1) * h * w);
      let [low, high] = row.range ?? [Infinity, -Infinity];
      if (!row.range) for (const v of pixels) [low, high] = [Math.min(low, v), Math.max(high, v)];
      const span = high - low || 1;
      for (let i = 0; i < h; i++) {
        for (let j = 0; j < w; j++) {
          const grey = Math.round(255 * Math.min(1, Math.max(0, (pixels[i * w + j] - low) / span)));
          canvas.fillRect(left + j * scale, top + i * scale, scale, scale, [grey, grey, grey]);
        }
      }
      const caption = row.captions[k] ?? '';
      const color = row.marked?.[k] ? RED : BLACK;
      canvas.text(left + (w * scale - textWidth(caption)) / 2, top + h * scale + GAP, caption, color);
    }
  });
  return canvas;
}
