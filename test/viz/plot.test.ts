// Line plots: the PNG has the requested size and every series leaves its colour inside the plotting area.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeLinePlot, type Rect } from '../../src/viz/plot.js';
import { formatTick, niceAxis } from '../../src/viz/ticks.js';
import { readPng, type Decoded } from './decode.js';

const dir = mkdtempSync(join(tmpdir(), 'nabla-plot-'));

function countColor(png: Decoded, area: Rect, color: readonly number[]): number {
  let n = 0;
  for (let y = area.y0; y < area.y1; y++) {
    for (let x = area.x0; x < area.x1; x++) {
      const [r, g, b] = png.rgb(x, y);
      if (r === color[0] && g === color[1] && b === color[2]) n++;
    }
  }
  return n;
}

test('writeLinePlot draws each learning curve in its own colour inside the axes', () => {
  const epochs = 25;
  const series = [
    { name: 'train cost', y: Array.from({ length: epochs }, (_, i) => 0.3 + Math.exp(-i / 5)) },
    { name: 'validation error', y: Array.from({ length: epochs }, (_, i) => 0.08 + 0.1 * Math.exp(-i / 8)) },
    { name: 'test error', y: Array.from({ length: epochs }, (_, i) => 0.09 + 0.1 * Math.exp(-i / 8)) },
  ];
  const path = join(dir, 'curves.png');
  const plot = writeLinePlot(path, series, { title: 'Learning curves', xLabel: 'epoch', yLabel: 'cost', width: 500, height: 300 });
  const png = readPng(path);
  assert.deepEqual([png.width, png.height], [500, 300]);
  assert.equal(new Set(plot.colors.map((c) => c.join())).size, 3, 'colours must differ');
  for (const [i, color] of plot.colors.entries()) {
    assert.ok(countColor(png, plot.area, color) > 100, `series ${series[i].name} missing from the plotting area`);
  }
  // The corners of the image stay background.
  assert.deepEqual(png.rgb(0, 0), [255, 255, 255]);
  assert.deepEqual(png.rgb(499, 299), [255, 255, 255]);
  // Some text was drawn left of the area (tick labels) and below it.
  let dark = 0;
  for (let y = plot.area.y0; y < plot.area.y1; y++) {
    for (let x = 0; x < plot.area.x0 - 6; x++) if (png.rgb(x, y)[0] === 0) dark++;
  }
  assert.ok(dark > 20, 'y tick labels missing');
});

test('a one-point series and gaps (NaN) still plot; mismatched x and y are refused', () => {
  const path = join(dir, 'sparse.png');
  const plot = writeLinePlot(path, [{ name: 'a', y: [0.5] }, { name: 'b', x: [1, 2, 3, 4], y: [1, NaN, 2, 3] }], { yPercent: true });
  const png = readPng(path);
  for (const color of plot.colors) assert.ok(countColor(png, plot.area, color) > 0);
  assert.throws(() => writeLinePlot(path, [{ name: 'c', x: [1, 2], y: [1] }]), { message: "renderLinePlot: series 'c' has 2 x values but 1 y values" });
  assert.throws(() => writeLinePlot(path, []), { message: 'renderLinePlot: no series to draw' });
});

test('niceAxis picks round ticks and formatTick the decimals they need', () => {
  const axis = niceAxis(0.071, 0.5);
  assert.deepEqual(axis.ticks, [0, 0.1, 0.2, 0.3, 0.4, 0.5]);
  assert.deepEqual(axis.ticks.map((t) => formatTick(t, axis.step)), ['0.0', '0.1', '0.2', '0.3', '0.4', '0.5']);
  assert.deepEqual(niceAxis(1, 3, 8, true).ticks, [1, 2, 3]);
  assert.equal(formatTick(0.075, 0.025, true), '7.5%');
  assert.deepEqual(niceAxis(5, 5).ticks.length > 1, true);
});
