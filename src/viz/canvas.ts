// Canvas: an 8-bit RGB bitmap with the few primitives charts need (rectangles, lines, text), in plain
// TypeScript so pictures never depend on a native canvas library.
import { GLYPH_ADVANCE, GLYPH_HEIGHT, GLYPH_WIDTH, glyphRows } from './font.js';

/** Red, green and blue, 0..255 each. */
export type Color = readonly [number, number, number];

export const WHITE: Color = [255, 255, 255];
export const BLACK: Color = [0, 0, 0];

export class Canvas {
  readonly width: number;
  readonly height: number;
  /** Row-major RGB bytes, three per pixel: the layout writePng takes. */
  readonly data: Uint8Array;

  /**
   * A blank bitmap filled with `background`.
   * @example const c = new Canvas(200, 100); c.text(10, 10, 'epoch 3', BLACK); writePng('a.png', c);
   */
  constructor(width: number, height: number, background: Color = WHITE) {
    if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) {
      throw new Error(`Canvas: size ${width}x${height} must be positive integers`);
    }
    this.width = width;
    this.height = height;
    this.data = new Uint8Array(width * height * 3);
    this.fillRect(0, 0, width, height, background);
  }

  /** Sets one pixel; points outside the bitmap are ignored, so callers need not clip. */
  setPixel(x: number, y: number, color: Color): void {
    x = Math.round(x);
    y = Math.round(y);
    if (x < 0 || y < 0 || x >= this.width || y >= this.height) return;
    const i = (y * this.width + x) * 3;
    this.data[i] = color[0];
    this.data[i + 1] = color[1];
    this.data[i + 2] = color[2];
  }

  getPixel(x: number, y: number): Color {
    const i = (y * this.width + x) * 3;
    return [this.data[i], this.data[i + 1], this.data[i + 2]];
  }

  fillRect(x: number, y: number, width: number, height: number, color: Color): void {
    [x, y, width, height] = [x, y, width, height].map(Math.round);
    for (let row = Math.max(0, y); row < Math.min(this.height, y + height); row++) {
      for (let col = Math.max(0, x); col < Math.min(this.width, x + width); col++) this.setPixel(col, row, color);
    }
  }

  /** The outline of a rectangle, one pixel wide, inside [x, x + width) x [y, y + height). */
  strokeRect(x: number, y: number, width: number, height: number, color: Color): void {
    this.fillRect(x, y, width, 1, color);
    this.fillRect(x, y + height - 1, width, 1, color);
    this.fillRect(x, y, 1, height, color);
    this.fillRect(x + width - 1, y, 1, height, color);
  }

  /** A straight line (Bresenham), `thickness` pixels wide; no anti-aliasing, so tests can look for exact colours. */
  line(x0: number, y0: number, x1: number, y1: number, color: Color, thickness = 1): void {
    [x0, y0, x1, y1] = [x0, y0, x1, y1].map(Math.round);
    const dx = Math.abs(x1 - x0);
    const dy = -Math.abs(y1 - y0);
    const sx = x0 < x1 ? 1 : -1;
    const sy = y0 < y1 ? 1 : -1;
    const offset = Math.floor((thickness - 1) / 2);
    let error = dx + dy;
    for (;;) {
      this.fillRect(x0 - offset, y0 - offset, thickness, thickness, color);
      if (x0 === x1 && y0 === y1) return;
      const e2 = 2 * error;
      if (e2 >= dy) {
        error += dy;
        x0 += sx;
      }
      if (e2 <= dx) {
        error += dx;
        y0 += sy;
      }
    }
  }

  /** Draws `text` with its top-left corner at (x, y), each font pixel a `scale` x `scale` square. */
  text(x: number, y: number, text: string, color: Color, scale = 1): void {
    [...text].forEach((char, k) => {
      glyphRows(char).forEach((bits, row) => {
        for (let col = 0; col < GLYPH_WIDTH; col++) {
          if (bits & (1 << (GLYPH_WIDTH - 1 - col))) {
            this.fillRect(x + (k * GLYPH_ADVANCE + col) * scale, y + row * scale, scale, scale, color);
          }
        }
      });
    });
  }
}

/** The height of a line of text at `scale`. */
export function textHeight(scale = 1): number {
  return GLYPH_HEIGHT * scale;
}
