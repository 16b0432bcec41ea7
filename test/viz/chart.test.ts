// Charts rendered headless: the title is set in a real font (its band of the PNG has text pixels, and a blank
// spec's has none), text is measured in that font, and a spec is written as SVG and PNG alike.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TopLevelSpec } from 'vega-lite';
import { measureTextWidth, writeChart } from '../../src/viz/chart.js';
import { curveSpec } from '../../src/viz/curve-spec.js';
import { readPng, type Decoded } from './decode.js';

const dir = mkdtempSync(join(tmpdir(), 'nabla-chart-'));

/** Pixels darker than mid-grey in rows [y0, y1) over the whole width. */
function darkPixels(png: Decoded, y0: number, y1: number): number {
  let n = 0;
  for (let y = y0; y < y1; y++) for (let x = 0; x < png.width; x++) if (png.rgb(x, y).every((v) => v < 128)) n++;
  return n;
}

const rows = Array.from({ length: 12 }, (_, i) => ({
  epoch: i + 1, iteration: 100 * (i + 1), seconds: i, train_cost: 1 / (i + 1),
}));

test('a chart title is drawn in a real font: its band of the PNG holds text pixels', async () => {
  const spec = curveSpec([{ name: 'dbn', rows }], 'train_cost', { title: 'up-down fine-tuning' });
  const files = await writeChart(join(dir, 'titled'), spec);
  assert.deepEqual(files, { svg: join(dir, 'titled.svg'), png: join(dir, 'titled.png') });
  assert.match(readFileSync(files.svg, 'utf8'), /<text[^>]*>up-down fine-tuning<\/text>/);
  const png = readPng(files.png);
  // The title sits in the top band (8 pixels of padding, a 15-pixel font); glyphs there, not a blank strip.
  const inked = darkPixels(png, 0, 30);
  assert.ok(inked > 150, `the title's band has ${inked} dark pixels`);
  // Without a title the same band holds the top of the axes only: a few pixels of tick labels at most.
  const plain = readPng((await writeChart(join(dir, 'plain'), { ...spec, title: undefined } as TopLevelSpec)).png);
  assert.ok(darkPixels(plain, 0, 8) === 0, 'the padding above an untitled chart is blank');
  assert.ok(png.height > plain.height, 'a title takes room above the chart');
});

test('text is measured in the chart font: wide letters are wider, bold is wider, spaces count', () => {
  const narrow = measureTextWidth('iiii', { fontSize: 12 });
  const wide = measureTextWidth('WWWW', { fontSize: 12 });
  assert.ok(narrow > 0 && wide > 2.5 * narrow, `iiii ${narrow}, WWWW ${wide}`);
  const regular = measureTextWidth('up-down fine-tuning', { fontSize: 15 });
  assert.ok(regular > 100 && regular < 180, `a 15-pixel title measures ${regular}`);
  assert.ok(measureTextWidth('up-down fine-tuning', { fontSize: 15, fontWeight: 'bold' }) > regular);
  assert.ok(measureTextWidth('a b', { fontSize: 12 }) > measureTextWidth('ab', { fontSize: 12 }));
  assert.equal(measureTextWidth(''), 0);
});
