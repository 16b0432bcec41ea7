// 2-D scatter plots of embeddings (PCA codes, t-SNE maps) coloured by label with a legend, as an SVG document
// (one circle per point, thousands of them: written directly rather than through Vega) and its PNG by resvg:
// a square plotting area, equal scales on both axes.
import { encodePng } from './png.js';
import { measureTextWidth, writeSvgAndPng, type ChartFiles } from './chart.js';
import { NDArray } from '../ndarray/index.js';

/** An RGB colour, 0..255 per channel. */
export type Color = readonly [number, number, number];

/** A pixel rectangle: x0, y0 inclusive, x1, y1 exclusive. */
export interface Rect {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

// Tableau's ten categorical colours (Vega's and matplotlib's default): distinct, and readable on white.
export const PALETTE: readonly Color[] = [
  [78, 121, 167], [242, 142, 43], [225, 87, 89], [118, 183, 178], [89, 161, 79],
  [237, 201, 72], [176, 122, 161], [255, 157, 167], [156, 117, 95], [186, 176, 172],
];
const FONT_SIZE = 12;

export interface ScatterOptions {
  title?: string;
  xLabel?: string;
  yLabel?: string;
  /** The side of the square plotting area in pixels; 720 by default. */
  size?: number;
  /** The side of each point's square (PNG) or its diameter (SVG) in pixels; 2 by default (3 under 2,000 points). */
  pointSize?: number;
  /** The legend's name of each label (label i → names[i]); the label's number otherwise. */
  names?: readonly string[];
  /** Small pictures of the points' images drawn at their places, where they do not overlap. */
  thumbnails?: Thumbnails;
}

export interface Thumbnails {
  /** [N, h·w] pixel rows in [0, 1] (MNIST's images), one per point. */
  images: ArrayLike<number>;
  shape: readonly [number, number];
  /** The side of a thumbnail in pixels (the image scaled by whole pixels or skipped rows); 28 by default. */
  size?: number;
}

/** A thumbnail placed: which point, and its top-left corner in pixels. */
interface Placed {
  point: number;
  x: number;
  y: number;
}

export interface ScatterLayout {
  width: number;
  height: number;
  area: Rect;
  /** Each point's pixel position, [x0, y0, x1, y1, ...]. */
  pixels: Float64Array;
  /** The labels present, ascending, each with its colour and legend name. */
  legend: { label: number; color: Color; name: string }[];
  /** The colour of each point. */
  colorOf: (i: number) => Color;
  pointSize: number;
  /** The thumbnails drawn (points in order, each kept when it overlaps none kept before it). */
  placed: Placed[];
}

const PAD = 10;
const GREY: Color = [90, 90, 90];
const FRAME: Color = [64, 64, 64];

/** Colours beyond the ten of the palette: the palette again, darkened. */
function labelColor(index: number): Color {
  const base = PALETTE[index % PALETTE.length];
  const shade = 1 / (1 + Math.floor(index / PALETTE.length));
  return [Math.round(base[0] * shade), Math.round(base[1] * shade), Math.round(base[2] * shade)];
}

/**
 * Where everything goes: points scaled into the square area with equal units on both axes, and the legend.
 * @example const layout = scatterLayout(map.data, labels, { title: 't-SNE of 10,000 digits' });
 */
export function scatterLayout(
  points: ArrayLike<number>, labels?: ArrayLike<number>, options: ScatterOptions = {},
): ScatterLayout {
  const n = points.length / 2;
  if (!Number.isInteger(n) || n < 1) throw new Error(`scatterLayout: needs [N, 2] coordinates, got ${points.length} numbers`);
  if (labels && labels.length !== n) throw new Error(`scatterLayout: ${labels.length} labels for ${n} points`);
  const size = options.size ?? 720;
  const pointSize = options.pointSize ?? (n < 2000 ? 3 : 2);
  const present = labels ? [...new Set(Array.from(labels))].sort((a, b) => a - b) : [];
  const legend = present.map((label, i) => ({
    label, color: labelColor(i), name: options.names?.[label] ?? String(label),
  }));
  const nameWidth = (name: string) => measureTextWidth(name, { fontSize: FONT_SIZE });
  const legendWidth = legend.length ? Math.ceil(Math.max(...legend.map((l) => nameWidth(l.name)))) + 30 : 0;
  const top = PAD + (options.title ? 28 : 0);
  const left = PAD + (options.yLabel ? FONT_SIZE + 8 : 0);
  const area: Rect = { x0: left, y0: top, x1: left + size, y1: top + size };
  const width = area.x1 + (legendWidth ? legendWidth + 16 : 0) + PAD;
  const height = area.y1 + PAD + (options.xLabel ? FONT_SIZE + 10 : 0);
  let [minX, maxX, minY, maxY] = [Infinity, -Infinity, Infinity, -Infinity];
  for (let i = 0; i < n; i++) {
    const [x, y] = [points[2 * i], points[2 * i + 1]];
    if (!Number.isFinite(x) || !Number.isFinite(y)) throw new Error(`scatterLayout: point ${i} is (${x}, ${y}), not finite`);
    [minX, maxX, minY, maxY] = [Math.min(minX, x), Math.max(maxX, x), Math.min(minY, y), Math.max(maxY, y)];
  }
  const span = Math.max(maxX - minX, maxY - minY) || 1;
  const margin = pointSize + 4;
  const scale = (size - 2 * margin) / span;
  const [cx, cy] = [(minX + maxX) / 2, (minY + maxY) / 2];
  const pixels = new Float64Array(2 * n);
  for (let i = 0; i < n; i++) {
    pixels[2 * i] = area.x0 + size / 2 + (points[2 * i] - cx) * scale;
    pixels[2 * i + 1] = area.y0 + size / 2 - (points[2 * i + 1] - cy) * scale;
  }
  const colorIndex = new Map(present.map((label, i) => [label, i]));
  const colorOf = labels ? (i: number) => legend[colorIndex.get(labels[i])!].color : () => PALETTE[0];
  const placed = placeThumbnails(pixels, area, options.thumbnails);
  return { width, height, area, pixels, legend, colorOf, pointSize, placed };
}

/**
 * Greedy placement on a grid of cells one thumbnail wide: a point's thumbnail is kept when its cell and
 * the eight around it are free.
 */
function placeThumbnails(pixels: Float64Array, area: Rect, thumbnails?: Thumbnails): Placed[] {
  if (!thumbnails) return [];
  const n = pixels.length / 2;
  const [h, w] = thumbnails.shape;
  if (thumbnails.images.length !== n * h * w) {
    throw new Error(`scatterLayout: thumbnails hold ${thumbnails.images.length} values, not ${n} images of ${h}x${w}`);
  }
  const size = thumbnails.size ?? 28;
  const columns = Math.ceil((area.x1 - area.x0) / size) + 1;
  const taken = new Set<number>();
  const placed: Placed[] = [];
  for (let i = 0; i < n; i++) {
    const [x, y] = [pixels[2 * i] - size / 2, pixels[2 * i + 1] - size / 2];
    const [cx, cy] = [Math.floor((x - area.x0) / size), Math.floor((y - area.y0) / size)];
    let free = true;
    for (let dy = -1; dy <= 1 && free; dy++) {
      for (let dx = -1; dx <= 1 && free; dx++) free = !taken.has((cy + dy) * columns + cx + dx);
    }
    if (!free) continue;
    taken.add(cy * columns + cx);
    placed.push({ point: i, x: Math.round(x), y: Math.round(y) });
  }
  return placed;
}

/** Thumbnail of point i as RGB over white: the image's ink in the point's colour. */
function thumbnailPixels(thumbnails: Thumbnails, i: number, color: Color): { size: number; rgb: Uint8Array } {
  const [h, w] = thumbnails.shape;
  const size = thumbnails.size ?? 28;
  const rgb = new Uint8Array(size * size * 3);
  for (let r = 0; r < size; r++) {
    for (let c = 0; c < size; c++) {
      const value = thumbnails.images[i * h * w + Math.floor((r * h) / size) * w + Math.floor((c * w) / size)];
      const ink = Math.min(1, Math.max(0, value));
      for (let k = 0; k < 3; k++) rgb[(r * size + c) * 3 + k] = Math.round(255 - ink * (255 - color[k]));
    }
  }
  return { size, rgb };
}

const hex = (c: Color) => `#${c.map((v) => v.toString(16).padStart(2, '0')).join('')}`;
const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/**
 * The same plot as an SVG document (one circle per point, grouped by label).
 * @example writeFileSync('map.svg', scatterSvg(map.data, labels));
 */
export function scatterSvg(
  points: ArrayLike<number>, labels?: ArrayLike<number>, options: ScatterOptions = {},
): string {
  const layout = scatterLayout(points, labels, options);
  const { width, height, area, pixels, legend, colorOf, pointSize } = layout;
  const r = (pointSize / 2).toFixed(1);
  const out = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="DejaVu Sans, sans-serif" font-size="${FONT_SIZE}">`,
    `<rect width="${width}" height="${height}" fill="white"/>`,
    `<rect x="${area.x0 - 0.5}" y="${area.y0 - 0.5}" width="${area.x1 - area.x0 + 1}" height="${area.y1 - area.y0 + 1}" fill="none" stroke="${hex(FRAME)}"/>`,
  ];
  const groups = legend.length ? legend : [{ label: 0, color: PALETTE[0], name: '' }];
  const byColor = new Map(groups.map((g) => [hex(g.color), [] as string[]]));
  for (let i = 0; i < pixels.length / 2; i++) {
    byColor.get(hex(colorOf(i)))!.push(`<circle cx="${pixels[2 * i].toFixed(1)}" cy="${pixels[2 * i + 1].toFixed(1)}" r="${r}"/>`);
  }
  groups.forEach((g) => out.push(`<g fill="${hex(g.color)}" data-label="${g.label}">${byColor.get(hex(g.color))!.join('')}</g>`));
  for (const { point, x, y } of layout.placed) {
    const { size, rgb } = thumbnailPixels(options.thumbnails!, point, colorOf(point));
    const png = encodePng(new NDArray('float32', [size, size, 3], Float32Array.from(rgb, (v) => v / 255)), 'scatterSvg');
    const href = `data:image/png;base64,${png.toString('base64')}`;
    out.push(`<image x="${x}" y="${y}" width="${size}" height="${size}" href="${href}"/>`);
  }
  legend.forEach((entry, row) => {
    const y = area.y0 + row * 18;
    out.push(`<rect x="${area.x1 + 16}" y="${y}" width="10" height="10" fill="${hex(entry.color)}"/>`);
    out.push(`<text x="${area.x1 + 32}" y="${y + 10}">${escape(entry.name)}</text>`);
  });
  if (options.title) out.push(`<text x="${width / 2}" y="${PAD + 14}" text-anchor="middle" font-size="18">${escape(options.title)}</text>`);
  if (options.xLabel) out.push(`<text x="${(area.x0 + area.x1) / 2}" y="${area.y1 + 18}" text-anchor="middle" fill="${hex(GREY)}">${escape(options.xLabel)}</text>`);
  if (options.yLabel) {
    const [x, y] = [PAD + 10, (area.y0 + area.y1) / 2];
    out.push(`<text x="${x}" y="${y}" transform="rotate(-90 ${x} ${y})" text-anchor="middle" fill="${hex(GREY)}">${escape(options.yLabel)}</text>`);
  }
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}

/**
 * Writes a scatter plot as SVG and PNG (a path ending in .svg or .png names the same pair; folder created).
 * @example writeScatter('out/tsne', map.data, labels) // out/tsne.svg and out/tsne.png
 */
export function writeScatter(
  path: string, points: ArrayLike<number>, labels?: ArrayLike<number>, options: ScatterOptions = {},
): ChartFiles {
  return writeSvgAndPng(path, scatterSvg(points, labels, options));
}
