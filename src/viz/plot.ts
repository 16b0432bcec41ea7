// Line charts of named series (learning curves: cost or error against epoch) rasterised to PNG:
// axes with numeric ticks, light grid, a legend to the right of the plotting area, one colour per series.
import { BLACK, Canvas, WHITE, textHeight, type Color } from './canvas.js';
import { textWidth } from './font.js';
import { writePng } from './png.js';
import { formatTick, niceAxis, type Axis } from './ticks.js';

export interface Series {
  name: string;
  y: ArrayLike<number>;
  /** Defaults to 1, 2, ..., n (epochs). Points with a non-finite x or y leave a gap. */
  x?: ArrayLike<number>;
}

export interface LinePlotOptions {
  title?: string;
  xLabel?: string;
  yLabel?: string;
  width?: number;
  height?: number;
  /** Label the y axis in percent (errors stored as fractions: 0.0749 shows as 7.49%). */
  yPercent?: boolean;
}

/** A pixel rectangle: x0, y0 inclusive, x1, y1 exclusive. */
export interface Rect {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

export interface LinePlot {
  canvas: Canvas;
  /** The plotting area inside the axes, where the series are drawn. */
  area: Rect;
  /** The colour of each series, in order. */
  colors: Color[];
}

// Tableau's ten categorical colours (matplotlib's default cycle): distinct, and readable on white.
export const PALETTE: readonly Color[] = [
  [31, 119, 180], [255, 127, 14], [44, 160, 44], [214, 39, 40], [148, 103, 189],
  [140, 86, 75], [227, 119, 194], [127, 127, 127], [188, 189, 34], [23, 190, 207],
];
const AXIS_COLOR: Color = [64, 64, 64];
const GRID_COLOR: Color = [230, 230, 230];
const MARKERS_UP_TO = 40; // with few points (epochs), a square on each keeps single points visible
const PAD = 8;
const LINE = textHeight() + 5;

interface Point {
  x: number;
  y: number;
}

function points(series: Series, where: string): Point[] {
  const { x, y, name } = series;
  if (x && x.length !== y.length) throw new Error(`${where}: series '${name}' has ${x.length} x values but ${y.length} y values`);
  return Array.from({ length: y.length }, (_, i) => ({ x: x ? x[i] : i + 1, y: y[i] }));
}

function finiteRange(values: number[]): [number, number] {
  const finite = values.filter(Number.isFinite);
  return finite.length ? [Math.min(...finite), Math.max(...finite)] : [NaN, NaN];
}

/**
 * Draws series as a line chart and returns the bitmap with its plotting area.
 * @example renderLinePlot([{ name: 'valid error', y: [0.12, 0.09, 0.08] }], { xLabel: 'epoch', yPercent: true });
 */
export function renderLinePlot(series: Series[], options: LinePlotOptions = {}): LinePlot {
  const where = 'renderLinePlot';
  const { width = 640, height = 400, title, xLabel, yLabel, yPercent = false } = options;
  if (series.length === 0) throw new Error(`${where}: no series to draw`);
  const data = series.map((s) => points(s, where));
  const all = data.flat();
  const xs = all.map((p) => p.x);
  const xAxis = niceAxis(...finiteRange(xs), 8, xs.every((v) => !Number.isFinite(v) || Number.isInteger(v)));
  const yAxis = niceAxis(...finiteRange(all.map((p) => p.y)), 6);
  const yLabels = yAxis.ticks.map((t) => formatTick(t, yAxis.step, yPercent));
  const colors = series.map((_, i) => PALETTE[i % PALETTE.length]);

  const legendWidth = Math.max(...series.map((s) => textWidth(s.name))) + 30;
  const top = PAD + (title ? 2 * textHeight() + 8 : 0) + (yLabel ? LINE : 0) + 4;
  const left = PAD + Math.max(...yLabels.map((l) => textWidth(l))) + 8;
  const area: Rect = {
    x0: left,
    y0: top,
    x1: width - PAD - legendWidth - 8,
    y1: height - PAD - LINE - (xLabel ? LINE : 0),
  };
  if (area.x1 - area.x0 < 20 || area.y1 - area.y0 < 20) {
    throw new Error(`${where}: ${width}x${height} pixels leave no room to plot (legend and labels need the space)`);
  }

  const canvas = new Canvas(width, height, WHITE);
  const toPixel = (p: Point): Point => ({
    x: area.x0 + ((p.x - xAxis.min) / (xAxis.max - xAxis.min)) * (area.x1 - 1 - area.x0),
    y: area.y1 - 1 - ((p.y - yAxis.min) / (yAxis.max - yAxis.min)) * (area.y1 - 1 - area.y0),
  });
  drawAxes(canvas, area, xAxis, yAxis, yLabels, toPixel);
  data.forEach((pts, i) => drawSeries(
    canvas,
    pts.map((p) => (Number.isFinite(p.x) && Number.isFinite(p.y) ? toPixel(p) : null)),
    colors[i],
  ));
  drawLegend(canvas, series, colors, area.x1 + 12, area.y0);

  if (title) canvas.text((width - textWidth(title, 2)) / 2, PAD, title, BLACK, 2);
  if (yLabel) canvas.text(PAD, area.y0 - LINE - 2, yLabel, BLACK);
  if (xLabel) canvas.text((area.x0 + area.x1 - textWidth(xLabel)) / 2, height - PAD - textHeight(), xLabel, BLACK);
  return { canvas, area, colors };
}

function drawAxes(
  canvas: Canvas, area: Rect, xAxis: Axis, yAxis: Axis, yLabels: string[], toPixel: (p: Point) => Point,
): void {
  xAxis.ticks.forEach((t) => {
    const { x } = toPixel({ x: t, y: yAxis.min });
    canvas.line(x, area.y0, x, area.y1 - 1, GRID_COLOR);
    canvas.line(x, area.y1, x, area.y1 + 3, AXIS_COLOR);
    const label = formatTick(t, xAxis.step);
    canvas.text(x - textWidth(label) / 2, area.y1 + 6, label, BLACK);
  });
  yAxis.ticks.forEach((t, i) => {
    const { y } = toPixel({ x: xAxis.min, y: t });
    canvas.line(area.x0, y, area.x1 - 1, y, GRID_COLOR);
    canvas.line(area.x0 - 4, y, area.x0 - 1, y, AXIS_COLOR);
    canvas.text(area.x0 - 7 - textWidth(yLabels[i]), y - Math.floor(textHeight() / 2), yLabels[i], BLACK);
  });
  canvas.strokeRect(area.x0 - 1, area.y0 - 1, area.x1 - area.x0 + 2, area.y1 - area.y0 + 2, AXIS_COLOR);
}

function drawSeries(canvas: Canvas, pixels: (Point | null)[], color: Color): void {
  pixels.forEach((p, i) => {
    const previous = pixels[i - 1];
    if (p && previous) canvas.line(previous.x, previous.y, p.x, p.y, color, 2);
    if (p && pixels.length <= MARKERS_UP_TO) canvas.fillRect(p.x - 2, p.y - 2, 5, 5, color);
  });
}

function drawLegend(canvas: Canvas, series: Series[], colors: Color[], x: number, y: number): void {
  series.forEach((s, i) => {
    const row = y + i * (LINE + 4);
    canvas.fillRect(x, row + 2, 16, 3, colors[i]);
    canvas.text(x + 22, row, s.name, BLACK);
  });
}

/**
 * Draws series as a line chart into a PNG file (parent folder created).
 * @example writeLinePlot('out/curves.png', [{ name: 'train cost', y: costs }, { name: 'valid error', y: errors }]);
 */
export function writeLinePlot(path: string, series: Series[], options: LinePlotOptions = {}): LinePlot {
  const plot = renderLinePlot(series, options);
  writePng(path, plot.canvas);
  return plot;
}
