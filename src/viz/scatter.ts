// 2-D scatter plots of embeddings (PCA codes, t-SNE maps) coloured by label with a legend, as a PNG
// bitmap or an SVG document laid out alike: a square plotting area, equal scales on both axes.
import { writeFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { BLACK, Canvas, WHITE, textHeight, type Color } from './canvas.js';
import { textWidth } from './font.js';
import { PALETTE, type Rect } from './plot.js';
import { encodePng, writePng } from './png.js';
import { NDArray } from '../ndarray/index.js';

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
  const legendWidth = legend.length ? Math.max(...legend.map((l) => textWidth(l.name))) + 30 : 0;
  const top = PAD + (options.title ? 2 * textHeight() + 10 : 0);
  const left = PAD + (options.yLabel ? textHeight() + 8 : 0);
  const area: Rect = { x0: left, y0: top, x1: left + size, y1: top + size };
  const width = area.x1 + (legendWidth ? legendWidth + 16 : 0) + PAD;
  const height = area.y1 + PAD + (options.xLabel ? textHeight() + 8 : 0);
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

/**
 * Draws a scatter plot into a bitmap.
 * @example writePng('map.png', renderScatter(map.data, labels, { title: 't-SNE' }));
 */
export function renderScatter(
  points: ArrayLike<number>, labels?: ArrayLike<number>, options: ScatterOptions = {},
): Canvas {
  const layout = scatterLayout(points, labels, options);
  const { width, height, area, pixels, legend, colorOf, pointSize } = layout;
  const canvas = new Canvas(width, height, WHITE);
  canvas.strokeRect(area.x0 - 1, area.y0 - 1, area.x1 - area.x0 + 2, area.y1 - area.y0 + 2, FRAME);
  const offset = Math.floor(pointSize / 2);
  for (let i = 0; i < pixels.length / 2; i++) {
    canvas.fillRect(pixels[2 * i] - offset, pixels[2 * i + 1] - offset, pointSize, pointSize, colorOf(i));
  }
  for (const { point, x, y } of layout.placed) {
    const { size, rgb } = thumbnailPixels(options.thumbnails!, point, colorOf(point));
    canvas.strokeRect(x - 1, y - 1, size + 2, size + 2, colorOf(point));
    for (let r = 0; r < size; r++) {
      for (let c = 0; c < size; c++) {
        const k = (r * size + c) * 3;
        canvas.setPixel(x + c, y + r, [rgb[k], rgb[k + 1], rgb[k + 2]]);
      }
    }
  }
  legend.forEach((entry, row) => {
    const y = area.y0 + row * (textHeight() + 6);
    canvas.fillRect(area.x1 + 16, y, 8, 8, entry.color);
    canvas.text(area.x1 + 30, y, entry.name, BLACK);
  });
  if (options.title) canvas.text((width - textWidth(options.title, 2)) / 2, PAD, options.title, BLACK, 2);
  const { xLabel } = options;
  if (xLabel) canvas.text((area.x0 + area.x1 - textWidth(xLabel)) / 2, area.y1 + 6, xLabel, GREY);
  if (options.yLabel) {
    // The bitmap font draws only horizontally: the y label goes letter under letter.
    [...options.yLabel].forEach((ch, k) => canvas.text(PAD, area.y0 + k * (textHeight() + 1), ch, GREY));
  }
  return canvas;
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
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">`,
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
 * Writes a scatter plot as PNG or SVG by the path's extension (parent folder created).
 * @example writeScatter('out/tsne.png', map.data, labels); writeScatter('out/tsne.svg', map.data, labels);
 */
export function writeScatter(
  path: string, points: ArrayLike<number>, labels?: ArrayLike<number>, options: ScatterOptions = {},
): void {
  if (path.toLowerCase().endsWith('.svg')) {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, scatterSvg(points, labels, options));
  } else {
    writePng(path, renderScatter(points, labels, options));
  }
}
