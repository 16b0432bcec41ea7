// Images to classify, from a PNG file (any colour type, reduced to grey) or an IDX file of one image
// [rows, cols] or many [n, rows, cols], as float32 rows in [0, 1] of the size a model reads.
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { inflateSync } from 'node:zlib';
import { PNG } from 'pngjs';
import { NDArray, formatShape } from '../ndarray/index.js';
import { parseIdx } from '../data/index.js';

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** An image's size as its PNG header (the IHDR chunk, first after the signature) states it: [height, width]. */
function pngSize(bytes: Buffer, name: string): [number, number] {
  if (bytes.length < 24 || bytes.subarray(12, 16).toString('latin1') !== 'IHDR') {
    throw new Error(`${name}: not a readable PNG file (no IHDR chunk after the signature)`);
  }
  return [bytes.readUInt32BE(20), bytes.readUInt32BE(16)];
}

/**
 * Walks a PNG's chunks (length, type, data, CRC) to its IEND, so that a cut file is named as truncated,
 * and inflates an interlaced image's data no further than its size allows: pngjs bounds the inflating of
 * plain images by their size, but not of interlaced ones, where a few kilobytes could inflate to gigabytes.
 */
function checkPngChunks(bytes: Buffer, name: string, [height, width]: [number, number]): void {
  const idat: Buffer[] = [];
  for (let at = PNG_SIGNATURE.length; ; ) {
    if (at + 12 > bytes.length) throw new Error(`${name}: not a readable PNG file (truncated at byte ${bytes.length}, before its IEND chunk)`);
    const length = bytes.readUInt32BE(at);
    const type = bytes.subarray(at + 4, at + 8).toString('latin1');
    const end = at + 12 + length;
    if (end > bytes.length) {
      const what = /^[A-Za-z]{4}$/.test(type) ? `truncated: its ${type} chunk` : 'damaged: the chunk';
      throw new Error(`${name}: not a readable PNG file (${what} at byte ${at} ends at byte ${end}, the file has ${bytes.length})`);
    }
    if (type === 'IDAT') idat.push(bytes.subarray(at + 8, at + 8 + length));
    if (type === 'IEND') break;
    at = end;
  }
  const interlaced = bytes[28] === 1;
  if (!interlaced) return;
  // Adam7 passes, at most 8 bytes a pixel (16-bit RGBA) plus a filter byte a row for each of the 7 passes.
  const most = 8 * width * height + 7 * (height + 1);
  try {
    inflateSync(Buffer.concat(idat), { maxOutputLength: most + 1 });
  } catch (e) {
    const tooLarge = (e as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE';
    const why = tooLarge ? `its image data inflate to more than a ${width}x${height} image holds` : (e as Error).message;
    throw new Error(`${name}: not a readable PNG file (${why})`, { cause: e });
  }
}

/** PNG bytes as one grey image [1, h * w] in [0, 1]; transparent pixels count as black (MNIST's background). */
function decodePng(bytes: Buffer, name: string): { images: NDArray; shape: [number, number] } {
  const declared = pngSize(bytes, name);
  checkPngChunks(bytes, name, declared);
  let png: PNG;
  try {
    png = PNG.sync.read(bytes);
  } catch (e) {
    throw new Error(`${name}: not a readable PNG file (${(e as Error).message})`, { cause: e });
  }
  const { width, height, data } = png;
  if (height !== declared[0] || width !== declared[1]) throw new Error(`${name}: not a readable PNG file (decoded ${width}x${height}, its header says ${declared[1]}x${declared[0]})`);
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
  const bytes = readFileSync(path);
  const name = basename(path);
  const isPng = bytes.subarray(0, 8).equals(PNG_SIGNATURE);
  if (!isPng && /\.png$/i.test(name)) throw new Error(`${name}: not a PNG file (it does not start with PNG's 8-byte signature)`);
  const checkSize = (shape: readonly number[]) => {
    if (shape[0] !== imageShape[0] || shape[1] !== imageShape[1]) {
      throw new Error(`${name}: images are ${shape[0]}x${shape[1]} pixels, but the model reads ${imageShape[0]}x${imageShape[1]}`);
    }
  };
  // The size a PNG's header states is checked before any pixel is decoded: a forged header (15000x15000
  // pixels in a few hundred kilobytes) is refused without allocating them.
  if (isPng) checkSize(pngSize(bytes, name));
  const { images, shape } = isPng ? decodePng(bytes, name) : decodeIdxImages(bytes, name);
  checkSize(shape);
  // MNIST digits are light on dark; --invert serves dark-on-light drawings.
  if (options.invert) for (let i = 0; i < images.size; i++) images.data[i] = 1 - images.data[i];
  const factor = 255 / (options.pixelScale ?? 255);
  if (factor !== 1) for (let i = 0; i < images.size; i++) images.data[i] *= factor;
  return images;
}
