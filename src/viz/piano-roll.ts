// A piano-roll as the tutorial shows its generated pieces: time to the right, pitch upwards, each sounding
// note a dark cell; a grey line at every C with its MIDI number, seconds along the bottom. The roll is a raster
// image inside an SVG document whose labels are text, written with its PNG by writeSvgAndPng.
import { NDArray } from '../ndarray/index.js';
import { writeSvgAndPng } from './chart.js';
import { encodePng } from './png.js';

export interface PianoRollPlotOptions {
  /** Seconds per step, for the time axis. */
  dt: number;
  /** The lowest and one past the highest MIDI note shown (the model's pitch range). */
  range: readonly [number, number];
  title?: string;
}

const CELL = 4;
const MARGIN = { left: 36, right: 12, top: 24, bottom: 36 };
const GRID = [215, 215, 215] as const;
const NOTE = [20, 20, 90] as const;
const escapeXml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** Seconds between time labels: 1, 2 or 5 times a power of ten, at most about eight labels. */
function timeStep(seconds: number): number {
  const rough = seconds / 8;
  const power = 10 ** Math.floor(Math.log10(rough));
  return [1, 2, 5, 10].map((m) => m * power).find((s) => s >= rough) ?? 10 * power;
}

/** The roll itself: one CELL × CELL square per step and pitch, C lines grey, on white. */
function rollImage(song: readonly (readonly number[])[], low: number, high: number): NDArray {
  const [rows, columns] = [(high - low) * CELL, Math.max(song.length, 1) * CELL];
  const image = new NDArray('float32', [rows, columns, 3], new Float32Array(rows * columns * 3).fill(1));
  const paint = (row: number, column: number, color: readonly number[]) => {
    for (let c = 0; c < 3; c++) image.data[(row * columns + column) * 3 + c] = color[c] / 255;
  };
  const rowTop = (pitch: number) => (high - 1 - pitch) * CELL;
  for (let p = low; p < high; p++) {
    if (p % 12 === 0) for (let x = 0; x < columns; x++) paint(rowTop(p) + CELL - 1, x, GRID);
  }
  song.forEach((notes, t) => {
    for (const p of notes) {
      if (p < low || p >= high) continue;
      for (let dy = 0; dy < CELL; dy++) for (let dx = 0; dx < CELL; dx++) paint(rowTop(p) + dy, t * CELL + dx, NOTE);
    }
  });
  return image;
}

/**
 * A picture of a song (one ascending list of MIDI notes per step) as an SVG document.
 * @example writeSvgAndPng('sample-1', pianoRollSvg(song, { dt: 0.3, range: [21, 109], title: 'sample 1' }));
 */
export function pianoRollSvg(song: readonly (readonly number[])[], options: PianoRollPlotOptions): string {
  const [low, high] = options.range;
  const [plotW, plotH] = [Math.max(song.length, 1) * CELL, (high - low) * CELL];
  const [x0, y0] = [MARGIN.left, MARGIN.top];
  const [width, height] = [x0 + plotW + MARGIN.right, y0 + plotH + MARGIN.bottom];
  const href = `data:image/png;base64,${encodePng(rollImage(song, low, high), 'pianoRollSvg').toString('base64')}`;
  const out = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="DejaVu Sans, sans-serif" font-size="11">`,
    `<rect width="${width}" height="${height}" fill="white"/>`,
    `<image x="${x0}" y="${y0}" width="${plotW}" height="${plotH}" image-rendering="optimizeSpeed" href="${href}"/>`,
    `<rect x="${x0 - 0.5}" y="${y0 - 0.5}" width="${plotW + 1}" height="${plotH + 1}" fill="none" stroke="black"/>`,
  ];
  for (let p = low; p < high; p++) {
    if (p % 12 === 0) out.push(`<text x="${x0 - 4}" y="${y0 + (high - p) * CELL}" text-anchor="end">${p}</text>`);
  }
  const seconds = song.length * options.dt;
  const step = timeStep(Math.max(seconds, options.dt));
  for (let k = 0; k * step <= seconds + 1e-9; k++) {
    const x = x0 + (k * step / options.dt) * CELL;
    out.push(`<line x1="${x}" y1="${y0 + plotH}" x2="${x}" y2="${y0 + plotH + 4}" stroke="black"/>`);
    out.push(`<text x="${x}" y="${y0 + plotH + 15}" text-anchor="middle">${Number((k * step).toFixed(6))}</text>`);
  }
  out.push(`<text x="${x0 + plotW / 2}" y="${height - 6}" text-anchor="middle">time (s)</text>`);
  if (options.title) out.push(`<text x="${x0}" y="16">${escapeXml(`${options.title} (MIDI note number upwards)`)}</text>`);
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}

/** Writes pianoRollSvg's picture as SVG and PNG; returns the PNG's path. */
export function writePianoRoll(
  path: string, song: readonly (readonly number[])[], options: PianoRollPlotOptions,
): string {
  return writeSvgAndPng(path, pianoRollSvg(song, options)).png;
}
