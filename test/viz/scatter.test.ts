// Scatter plots: each point lands in its label's colour where the layout puts it (equal scales, the
// extremes inside the frame), the legend lists the labels in order, and the SVG holds the same points.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PALETTE, scatterLayout, scatterSvg, writeScatter } from '../../src/viz/scatter.js';
import { readPng } from './decode.js';

const dir = mkdtempSync(join(tmpdir(), 'nabla-scatter-'));

const points = [0, 0, 10, 0, 0, 5, -10, -5];
const labels = [3, 1, 3, 7];

test('scatterLayout keeps equal scales and every point inside the square area', () => {
  const layout = scatterLayout(points, labels, { size: 200, names: ['zero', 'one', 'two', 'three'] });
  const { area, pixels } = layout;
  for (let i = 0; i < 4; i++) {
    const [x, y] = [pixels[2 * i], pixels[2 * i + 1]];
    assert.ok(x > area.x0 && x < area.x1 && y > area.y0 && y < area.y1, `point ${i} at (${x}, ${y})`);
  }
  // 20 units across x and 10 down y: one scale for both, y upwards.
  const unit = (pixels[2] - pixels[6]) / 20;
  assert.ok(Math.abs((pixels[7] - pixels[5]) / 10 - unit) < 1e-9);
  assert.deepEqual(layout.legend.map((l) => [l.label, l.name]), [[1, 'one'], [3, 'three'], [7, '7']]);
});

test('writeScatter paints each point in its label colour; scatterSvg groups the circles by label', () => {
  const files = writeScatter(join(dir, 'map.png'), points, labels, { size: 200, pointSize: 6 });
  const png = readPng(files.png);
  const { pixels, legend } = scatterLayout(points, labels, { size: 200, pointSize: 6 });
  labels.forEach((label, i) => {
    const color = legend.find((l) => l.label === label)!.color;
    assert.deepEqual(png.rgb(Math.floor(pixels[2 * i]), Math.floor(pixels[2 * i + 1])), color);
  });
  assert.deepEqual(legend.map((l) => l.color), PALETTE.slice(0, 3));
  const svg = scatterSvg(points, labels, { size: 200, title: 'a <map>' });
  assert.equal((svg.match(/<circle /g) ?? []).length, 4);
  assert.match(svg, /<g fill="#f28e2b" data-label="3"><circle [^>]*\/><circle [^>]*\/><\/g>/);
  assert.match(svg, /a &lt;map&gt;/);
  assert.throws(() => scatterLayout([0, 0, NaN, 1]), /point 1 is \(NaN, 1\), not finite/);
  assert.throws(() => scatterLayout([0, 0, 1, 1], [1]), /1 labels for 2 points/);
});

test('thumbnails: placed where they do not overlap, the image drawn in the label colour', () => {
  // 30 points on a line 2 units apart, each with a 2x2 image whose top-left pixel is ink.
  const line = Array.from({ length: 60 }, (_, k) => (k % 2 === 0 ? 2 * (k / 2) : 0));
  const images = Array.from({ length: 30 * 4 }, (_, k) => (k % 4 === 0 ? 1 : 0));
  const thumbnails = { images, shape: [2, 2] as const, size: 10 };
  const layout = scatterLayout(line, undefined, { size: 300, thumbnails });
  assert.ok(layout.placed.length > 3 && layout.placed.length < 30, `${layout.placed.length} placed`);
  for (const a of layout.placed) {
    for (const b of layout.placed) if (a !== b) assert.ok(Math.abs(a.x - b.x) >= 10 || Math.abs(a.y - b.y) >= 10);
  }
  const png = readPng(writeScatter(join(dir, 'thumbnails'), line, undefined, { size: 300, thumbnails }).png);
  const { x, y } = layout.placed[0];
  assert.deepEqual(png.rgb(x + 2, y + 2), PALETTE[0]); // ink: the top-left quarter
  assert.deepEqual(png.rgb(x + 8, y + 8), [255, 255, 255]); // no ink
  assert.equal((scatterSvg(line, undefined, { size: 300, thumbnails }).match(/<image /g) ?? []).length, layout.placed.length);
  assert.throws(() => scatterLayout(line, undefined, { thumbnails: { images: [1], shape: [2, 2] } }), /thumbnails hold 1 values, not 30 images of 2x2/);
});
