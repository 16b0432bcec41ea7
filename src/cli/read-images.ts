// Images to classify, from a PNG file (any colour type, reduced to grey) or an IDX file of one image
// [rows, cols] or many [n, rows, cols], as float32 rows in [0, 1] of the size a model reads.
import { basename } from 'node:path';
import { PNG } from 'pngjs';
import { NDArray, formatShape } from '../ndarray/index.js';
import { parseIdx } from '../data/index.js';
import { readFileNamed } from '../models/atomic-write.js';

/** PNG bytes as one grey image [1, h * w] in [0, 1]; transparent pixels count as black (MNIST's background). */
function decodePng(bytes: Buffer, name: string): { images: NDArray; shape: [number, number] } {
  let png: PNG;
  try {
    png = PNG.sync.read(bytes);
  } catch (e) {
    throw new Error(`${name}: not a readable PNG file (${(e as Error).message})`, { cause: e });
  }
  const { width, height, data } = png;
  const images = new NDArray('float32', [1, width * height]);
  for (let i = 0; i < width * height; i++) {
    const [r, g, b, a] = [data[4 * i], data[4 * i + 1], data[4 * i + 2], data[4 * i + 3]];
    images.data[i] = (((r + g + b) / 3) * (a / 255)) / 255;
  }
  return { images, shape: [height, width] };
}

/** An IDX file of ubyte pixels as images [n, rows * cols]. */
function decodeIdxImages(bytes: Buffer, name: string): { images: NDArray; shape: [number, number] } {
  const pixels = parseIdx(bytes, name, { type: 'ubyte', scale: true });
  if (pixels.rank !== 2 && pixels.rank !== 3) throw new Error(`${name}: holds ${formatShape(pixels.shape)} values; expected one image [rows, cols] or images [n, rows, cols]`);
  const [rows, cols] = pixels.shape.slice(-2);
  const n = pixels.rank === 3 ? pixels.shape[0] : 1;
  return { images: pixels.reshape([n, rows * cols]), shape: [rows, cols] };
}

export interface ReadImagesOptions {
  /** Dark digits on a light background: invert the grey levels. */
  invert?: boolean;
  /** Grey level k becomes k / pixelScale (255 by default; 256 for models trained with --pixel-scale 256). */
  pixelScale?: number;
}

/**
 * Reads images for a model that takes `imageShape` images; an image of another size is an error naming
 * the file and both sizes (images are not resized: a resized digit is not the digit the model learned).
 * @example readImages('digit.png', [28, 28]) // float32[1, 784]
 */
export function readImages(
  path: string, imageShape: readonly [number, number], options: ReadImagesOptions = {},
): NDArray {
  const bytes = readFileNamed(path);
  const name = basename(path);
  const isPng = bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  const { images, shape } = isPng ? decodePng(bytes, name) : decodeIdxImages(bytes, name);
  if (shape[0] !== imageShape[0] || shape[1] !== imageShape[1]) {
    throw new Error(`${name}: images are ${shape[0]}x${shape[1]} pixels, but the model reads ${imageShape[0]}x${imageShape[1]}`);
  }
  // MNIST digits are light on dark; --invert serves dark-on-light drawings.
  if (options.invert) for (let i = 0; i < images.size; i++) images.data[i] = 1 - images.data[i];
  const factor = 255 / (options.pixelScale ?? 255);
  if (factor !== 1) for (let i = 0; i < images.size; i++) images.data[i] *= factor;
  return images;
}
