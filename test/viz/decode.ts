// Test helper: read a written PNG back with pngjs, as RGBA bytes.
import { readFileSync } from 'node:fs';
import { PNG } from 'pngjs';

export interface Decoded {
  width: number;
  height: number;
  colorType: number;
  rgb(x: number, y: number): [number, number, number];
}

export function readPng(path: string): Decoded {
  const png = PNG.sync.read(readFileSync(path));
  return {
    width: png.width,
    height: png.height,
    colorType: png.colorType,
    rgb: (x, y) => {
      const i = (y * png.width + x) * 4;
      return [png.data[i], png.data[i + 1], png.data[i + 2]];
    },
  };
}
