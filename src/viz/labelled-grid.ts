// Rows of small grey images, each with a caption under it (a predicted class, a unit's number), and a
// title at the left of each row: originals above their adversarial versions, or one layer's units. An SVG
// document (the images embedded as PNG, the text in DejaVu Sans), written with its PNG by writeSvgAndPng.
import { NDArray, formatShape } from '../ndarray/index.js';
import { measureTextWidth } from './chart.js';
import { encodePng } from './png.js';

export const RED = '#c80000';

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
const FONT_SIZE = 12;
const escapeXml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** One image of a row as a grey [h, w] array in [0, 1]. */
function greyImage(row: GridRow, k: number, h: number, w: number): NDArray {
  const pixels = row.images.data.subarray(k * h * w, (k + 1) * h * w);
  let [low, high] = row.range ?? [Infinity, -Infinity];
  if (!row.range) for (const v of pixels) [low, high] = [Math.min(low, v), Math.max(high, v)];
  const span = high - low || 1;
  return new NDArray('float32', [h, w], Float32Array.from(pixels, (v) => Math.min(1, Math.max(0, (v - low) / span))));
}

/**
 * One picture of rows of images with captions, as an SVG document.
 * @example writeSvgAndPng('attack', labelledGrid([{ title: 'clean', images: x, captions: ['7', '2'] }], [28, 28]));
 */
export function labelledGrid(
  rows: readonly GridRow[], imageShape: readonly [number, number], { scale = 2 }: GridOptions = {},
): string {
  const [h, w] = imageShape;
  for (const row of rows) {
    if (row.images.rank !== 2 || row.images.shape[1] !== h * w) {
      throw new Error(`labelledGrid: row '${row.title}' holds ${row.images.dtype}${formatShape(row.images.shape)}; expected [n, ${h * w}] for ${h}x${w} images`);
    }
  }
  const width = (text: string) => measureTextWidth(text, { fontSize: FONT_SIZE });
  const columns = Math.max(...rows.map((r) => r.images.shape[0]));
  const titleWidth = Math.ceil(Math.max(...rows.map((r) => width(r.title)))) + 2 * GAP;
  const cellWidth = Math.ceil(Math.max(w * scale, ...rows.flatMap((r) => r.captions.map(width)))) + GAP;
  const cellHeight = h * scale + FONT_SIZE + 3 * GAP;
  const [svgWidth, svgHeight] = [titleWidth + columns * cellWidth + GAP, rows.length * cellHeight + GAP];
  const out = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${svgWidth}" height="${svgHeight}" viewBox="0 0 ${svgWidth} ${svgHeight}" font-family="DejaVu Sans, sans-serif" font-size="${FONT_SIZE}">`,
    `<rect width="${svgWidth}" height="${svgHeight}" fill="white"/>`,
  ];
  rows.forEach((row, r) => {
    const top = GAP + r * cellHeight;
    out.push(`<text x="${GAP}" y="${top + (h * scale + FONT_SIZE) / 2 - 1}">${escapeXml(row.title)}</text>`);
    for (let k = 0; k < row.images.shape[0]; k++) {
      const left = titleWidth + k * cellWidth;
      const href = `data:image/png;base64,${encodePng(greyImage(row, k, h, w), 'labelledGrid').toString('base64')}`;
      // Pixels stay squares when enlarged: no smoothing between them.
      out.push(`<image x="${left}" y="${top}" width="${w * scale}" height="${h * scale}" image-rendering="optimizeSpeed" href="${href}"/>`);
      const caption = row.captions[k] ?? '';
      const color = row.marked?.[k] ? RED : 'black';
      out.push(`<text x="${left + (w * scale) / 2}" y="${top + h * scale + GAP + FONT_SIZE}" text-anchor="middle" fill="${color}">${escapeXml(caption)}</text>`);
    }
  });
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}
