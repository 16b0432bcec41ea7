// PNG output through pngjs: grayscale or RGB NDArrays with values in [0, 1].
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { PNG, type ColorType } from 'pngjs';
import { NDArray, formatShape } from '../ndarray/index.js';

const GRAYSCALE: ColorType = 0; // PNG colour types
const RGB: ColorType = 2;

/** [0, 1] to 0..255, clipping values outside (as image viewers do); NaN is an error, never a black pixel. */
function toBytes(image: NDArray, where: string): Buffer {
  const bytes = Buffer.alloc(image.size);
  const channels = image.rank === 3 ? image.shape[2] : 1;
  for (let i = 0; i < image.size; i++) {
    const v = image.data[i];
    if (Number.isNaN(v)) {
      const pixel = Math.floor(i / channels);
      const [row, col] = [Math.floor(pixel / image.shape[1]), pixel % image.shape[1]];
      throw new Error(`${where}: image ${image.dtype}${formatShape(image.shape)} holds NaN at row ${row}, column ${col}`);
    }
    bytes[i] = Math.round(Math.min(1, Math.max(0, v)) * 255);
  }
  return bytes;
}

/**
 * PNG file bytes for an NDArray [h, w] (grayscale) or [h, w, 3] (RGB) of values in [0, 1].
 * @example encodePng(nb.array([[0, 1], [1, 0]])) // a 2x2 checkerboard
 */
export function encodePng(image: NDArray, where = 'encodePng'): Buffer {
  const grayscale = image.rank === 2 || (image.rank === 3 && image.shape[2] === 1);
  if (!grayscale && !(image.rank === 3 && image.shape[2] === 3)) {
    throw new Error(`${where}: image ${image.dtype}${formatShape(image.shape)} must be [height, width] or [height, width, 3]`);
  }
  const [height, width] = image.shape;
  const colorType = grayscale ? GRAYSCALE : RGB;
  const data = toBytes(image, where);
  if (width === 0 || height === 0) throw new Error(`${where}: an image of ${width}x${height} pixels cannot be written as PNG`);
  const png = new PNG({ width, height });
  png.data = data;
  return PNG.sync.write(png, { colorType, inputColorType: colorType, inputHasAlpha: false });
}

/**
 * Writes an image (see encodePng) to a PNG file, creating the parent folder.
 * @example writePng('out/filters.png', tileRasterImages(W.T, [28, 28], [10, 10]));
 */
export function writePng(path: string, image: NDArray): void {
  const bytes = encodePng(image, `writePng ${path}`);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, bytes);
}
