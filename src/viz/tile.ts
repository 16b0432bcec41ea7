// Tiling of flattened images (weights, samples, filters) into one picture, as utils.tile_raster_images
// of the LISA-lab Deep Learning Tutorials does: row-major tiles, black spacing between them.
import { NDArray, formatShape } from '../ndarray/index.js';

export interface TileOptions {
  /** Stretch each image to [0, 1] on its own before tiling (min to 0, max to 1), as filters need. */
  scaleRowsToUnitInterval?: boolean;
}

/** The tutorial's scale_to_unit_interval: (v - min) / (max - min + 1e-8), so a constant image becomes 0. */
function scaleToUnitInterval(values: ArrayLike<number>, start: number, length: number, out: Float32Array): void {
  let min = Infinity;
  for (let i = 0; i < length; i++) min = Math.min(min, values[start + i]);
  let max = -Infinity;
  for (let i = 0; i < length; i++) max = Math.max(max, values[start + i] - min);
  const factor = 1 / (max + 1e-8);
  for (let i = 0; i < length; i++) out[i] = (values[start + i] - min) * factor;
}

/**
 * Lays out the rows of X ([n, h * w], one flattened image each) as a grid of tileShape [rows, cols]
 * images, tileSpacing pixels apart; returns a float32 [H, W] image in [0, 1] (for writePng).
 * Images beyond rows * cols are left out; missing ones leave black tiles.
 * @example writePng('filters.png', tileRasterImages(W.transpose(), [28, 28], [10, 10]));
 */
export function tileRasterImages(
  X: NDArray,
  imgShape: [number, number],
  tileShape: [number, number],
  tileSpacing: [number, number] = [1, 1],
  { scaleRowsToUnitInterval = true }: TileOptions = {},
): NDArray {
  const [h, w] = imgShape;
  if (X.rank !== 2 || X.shape[1] !== h * w) {
    const hint = X.rank === 4 ? '; for conv filters [k, c, h, w] use tileConvFilters' : '';
    throw new Error(`tileRasterImages: X is ${X.dtype}${formatShape(X.shape)} but imgShape ${formatShape(imgShape)} needs [n, ${h * w}]${hint}`);
  }
  const [tileRows, tileCols] = tileShape;
  const [spaceRows, spaceCols] = tileSpacing;
  const height = (h + spaceRows) * tileRows - spaceRows;
  const width = (w + spaceCols) * tileCols - spaceCols;
  if (
    [tileRows, tileCols, spaceRows, spaceCols].some((d) => !Number.isInteger(d) || d < 0) ||
    height < 1 ||
    width < 1
  ) {
    throw new Error(`tileRasterImages: tileShape ${formatShape(tileShape)} and tileSpacing ${formatShape(tileSpacing)} give no picture`);
  }
  const out = new NDArray('float32', [height, width]);
  const image = new Float32Array(h * w);
  const count = Math.min(X.shape[0], tileRows * tileCols);
  for (let k = 0; k < count; k++) {
    if (scaleRowsToUnitInterval) scaleToUnitInterval(X.data, k * h * w, h * w, image);
    else image.set(X.data.subarray(k * h * w, (k + 1) * h * w));
    const top = Math.floor(k / tileCols) * (h + spaceRows);
    const left = (k % tileCols) * (w + spaceCols);
    for (let r = 0; r < h; r++) out.data.set(image.subarray(r * w, (r + 1) * w), (top + r) * width + left);
  }
  return out;
}

/**
 * The first input channel of conv filters [k, c, h, w] as k flattened images [k, h * w].
 * @example firstChannel(W).shape // [20, 25] for W of shape [20, 1, 5, 5]
 */
export function firstChannel(W: NDArray): NDArray {
  if (W.rank !== 4) throw new Error(`firstChannel: filters are ${W.dtype}${formatShape(W.shape)}, not [k, c, h, w]`);
  const [k, c, h, w] = W.shape;
  const out = new NDArray(W.dtype, [k, h * w]);
  for (let i = 0; i < k; i++) out.data.set(W.data.subarray(i * c * h * w, i * c * h * w + h * w), i * h * w);
  return out;
}

/**
 * Tiles conv filters [k, c, h, w] (first channel each) on a near-square grid unless tileShape is given.
 * @example writePng('conv1.png', tileConvFilters(layer0.W.get()));
 */
export function tileConvFilters(
  W: NDArray,
  tileShape?: [number, number],
  tileSpacing: [number, number] = [1, 1],
  options: TileOptions = {},
): NDArray {
  const images = firstChannel(W);
  const k = W.shape[0];
  const cols = Math.max(1, Math.ceil(Math.sqrt(k)));
  const shape = tileShape ?? [Math.max(1, Math.ceil(k / cols)), cols];
  return tileRasterImages(images, [W.shape[2], W.shape[3]], shape, tileSpacing, options);
}
