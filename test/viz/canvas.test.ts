// Canvas primitives and the 5x7 font: glyph table sanity, text placement, lines with exact colours.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BLACK, Canvas, WHITE } from '../../src/viz/canvas.js';
import { GLYPH_HEIGHT, glyphRows, textWidth } from '../../src/viz/font.js';

const PRINTABLE = '0123456789abcdefghijklmnopqrstuvwxyz.-% ()/:,_+=';

test('every glyph is 7 rows of 5 bits, upper case draws as lower case, and distinct characters differ', () => {
  const seen = new Map<string, string>();
  for (const char of PRINTABLE) {
    const rows = glyphRows(char);
    assert.equal(rows.length, GLYPH_HEIGHT);
    assert.ok(rows.every((r) => r >= 0 && r < 32), char);
    const key = rows.join();
    assert.ok(!seen.has(key), `'${char}' draws like '${seen.get(key)}'`);
    seen.set(key, char);
  }
  assert.deepEqual(glyphRows('E'), glyphRows('e'));
  assert.deepEqual(glyphRows('0'), [0x0e, 0x11, 0x13, 0x15, 0x19, 0x11, 0x0e]);
  assert.notDeepEqual(glyphRows('~'), glyphRows(' ')); // unknown characters stay visible
  assert.equal(textWidth('epoch'), 29);
  assert.equal(textWidth('ab', 2), 22);
});

test('Canvas.text draws the glyph bits at the given corner and scale', () => {
  const canvas = new Canvas(20, 20, WHITE);
  canvas.text(2, 3, '1', BLACK, 2);
  // '1' is 0x04 on its first row: only the middle column (col 2) is set, drawn at x = 2 + 2*2 .. +1.
  assert.deepEqual(canvas.getPixel(6, 3), BLACK);
  assert.deepEqual(canvas.getPixel(7, 4), BLACK);
  assert.deepEqual(canvas.getPixel(4, 3), WHITE);
  // Its last row is 0x0e: columns 1..3.
  assert.deepEqual(canvas.getPixel(4, 3 + 12), BLACK);
  assert.deepEqual(canvas.getPixel(2, 3 + 12), WHITE);
});

test('Canvas.line covers both end points, clips at the border, and fillRect stays inside', () => {
  const canvas = new Canvas(10, 5, WHITE);
  const red = [255, 0, 0] as const;
  canvas.line(-3, 1, 12, 1, red, 2);
  assert.deepEqual([canvas.getPixel(0, 1), canvas.getPixel(9, 1), canvas.getPixel(5, 2)], [red, red, red]);
  assert.deepEqual([canvas.getPixel(5, 0), canvas.getPixel(5, 3)], [WHITE, WHITE]);
  canvas.line(0, 0, 9, 4, red);
  assert.deepEqual([canvas.getPixel(0, 0), canvas.getPixel(9, 4)], [red, red]);
  canvas.fillRect(8, 3, 10, 10, BLACK);
  assert.deepEqual(canvas.getPixel(9, 4), BLACK);
  assert.throws(() => new Canvas(0, 3), { message: 'Canvas: size 0x3 must be positive integers' });
});
