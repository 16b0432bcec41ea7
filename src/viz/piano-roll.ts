// A piano-roll as the tutorial shows its generated pieces: time to the right, pitch upwards, each sounding
// note a dark cell; a grey line at every C with its MIDI number, seconds along the bottom.
import { BLACK, Canvas, textHeight, type Color } from './canvas.js';
import { textWidth } from './font.js';
import { niceAxis } from './ticks.js';
import { writePng } from './png.js';

export interface PianoRollPlotOptions {
  /** Seconds per step, for the time axis. */
  dt: number;
  /** The lowest and one past the highest MIDI note shown (the model's pitch range). */
  range: readonly [number, number];
  title?: string;
}

const CELL = [4, 4] as const;
const MARGIN = { left: 36, right: 12, top: 22, bottom: 30 };
const GRID: Color = [215, 215, 215];
const NOTE: Color = [20, 20, 90];

/**
 * A picture of a song (one ascending list of MIDI notes per step).
 * @example writePng('sample-1.png', renderPianoRoll(song, { dt: 0.3, range: [21, 109], title: 'sample 1' }));
 */
export function renderPianoRoll(song: readonly (readonly number[])[], options: PianoRollPlotOptions): Canvas {
  const [low, high] = options.range;
  const [cw, ch] = CELL;
  const [plotW, plotH] = [Math.max(song.length, 1) * cw, (high - low) * ch];
  const canvas = new Canvas(MARGIN.left + plotW + MARGIN.right, MARGIN.top + plotH + MARGIN.bottom);
  const [x0, y0] = [MARGIN.left, MARGIN.top];
  const rowTop = (pitch: number) => y0 + (high - 1 - pitch) * ch;
  for (let p = low; p < high; p++) {
    if (p % 12 !== 0) continue;
    canvas.fillRect(x0, rowTop(p) + ch - 1, plotW, 1, GRID);
    const label = String(p);
    canvas.text(x0 - 4 - textWidth(label), rowTop(p) + ch - textHeight(), label, BLACK);
  }
  song.forEach((notes, t) => {
    for (const p of notes) if (p >= low && p < high) canvas.fillRect(x0 + t * cw, rowTop(p), cw, ch, NOTE);
  });
  canvas.strokeRect(x0 - 1, y0 - 1, plotW + 2, plotH + 2, BLACK);
  const seconds = song.length * options.dt;
  const axis = niceAxis(0, Math.max(seconds, options.dt), 8);
  for (const s of axis.ticks.filter((tick) => tick <= seconds + 1e-9)) {
    const x = x0 + Math.round((s / options.dt) * cw);
    canvas.fillRect(x, y0 + plotH + 1, 1, 3, BLACK);
    const label = String(Number(s.toFixed(6)));
    canvas.text(x - textWidth(label) / 2, y0 + plotH + 6, label, BLACK);
  }
  const xLabel = 'time (s)';
  canvas.text(x0 + (plotW - textWidth(xLabel)) / 2, y0 + plotH + 8 + textHeight(), xLabel, BLACK);
  if (options.title) canvas.text(x0, 6, `${options.title} (MIDI note number upwards)`, BLACK);
  return canvas;
}

/** Writes renderPianoRoll's picture as a PNG file. */
export function writePianoRoll(
  path: string, song: readonly (readonly number[])[], options: PianoRollPlotOptions,
): string {
  writePng(path, renderPianoRoll(song, options));
  return path;
}
