// The pictures of a supervised run under --out: learning curves and the test set's confusion matrix (SVG and
// PNG), and the first layer's filters tiled as the tutorial's tile_raster_images does (PNG).
import { join } from 'node:path';
import { NDArray } from '../../ndarray/index.js';
import { tileConvFilters, tileRasterImages, writeConfusion, writePng, writeRunCurves } from '../../viz/index.js';
import type { Classifier } from '../../models/classifier.js';
import type { MetricsLine } from '../../train/metrics.js';

export const PICTURES = { filters: 'filters.png', confusion: 'confusion.png' } as const;

const MAX_TILES = 100; // the tutorial shows 10x10 filters

/** Nearest-neighbour enlargement, so that 5x5 conv filters are visible. */
function enlarge(image: NDArray, factor: number): NDArray {
  if (factor <= 1) return image;
  const [h, w] = image.shape;
  const out = new NDArray('float32', [h * factor, w * factor]);
  for (let r = 0; r < h * factor; r++) {
    for (let c = 0; c < w * factor; c++) {
      out.data[r * w * factor + c] = image.data[Math.floor(r / factor) * w + Math.floor(c / factor)];
    }
  }
  return out;
}

/** A near-square grid of n tiles, without empty tiles when a slightly wider grid has none (10 → 2x5). */
function grid(n: number): [number, number] {
  const square = Math.ceil(Math.sqrt(n));
  for (let cols = square; cols <= 2 * square; cols++) if (n % cols === 0) return [n / cols, cols];
  return [Math.ceil(n / square), square];
}

/** The first layer's filters as one picture: columns of [inputs, units] weights, or conv filters. */
export function filterPicture(model: Classifier): NDArray {
  const W = model.firstLayerWeights;
  if (W.rank === 4) {
    const tiled = tileConvFilters(W);
    return enlarge(tiled, Math.max(1, Math.floor(200 / Math.max(...tiled.shape))));
  }
  const [inputs, units] = W.shape;
  const count = Math.min(units, MAX_TILES);
  const images = new NDArray('float32', [count, inputs]);
  for (let u = 0; u < count; u++) for (let i = 0; i < inputs; i++) images.data[u * inputs + i] = W.data[i * units + u];
  return tilePicture(images, model.config.imageShape);
}

/**
 * Flattened images ([n, rows·cols]) tiled in a near-square grid, each stretched to its own range, the whole
 * enlarged to about `size` pixels on its longer side.
 * @example writePng('units.png', tilePicture(images, [28, 28]));
 */
export function tilePicture(images: NDArray, imageShape: [number, number], size = 300): NDArray {
  const tiled = tileRasterImages(images, imageShape, grid(images.shape[0]));
  return enlarge(tiled, Math.max(1, Math.floor(size / Math.max(...tiled.shape))));
}

/**
 * Writes the pictures of a finished run and returns their PNG paths; `confusion` counts the test set.
 * @example await writeClassifierPictures('runs/mlp', model, result.history, confusionMatrix(predicted, test.y, 10))
 */
export async function writeClassifierPictures(
  out: string, model: Classifier, history: readonly MetricsLine[], confusion: NDArray,
): Promise<Record<string, string>> {
  const paths = Object.fromEntries(
    Object.entries(PICTURES).map(([k, f]) => [k, join(out, f)]),
  ) as Record<keyof typeof PICTURES, string>;
  writePng(paths.filters, filterPicture(model));
  await writeConfusion(paths.confusion, confusion, { title: `${model.kind}: test set` });
  return { ...paths, ...await writeRunCurves(out, [{ name: model.kind, rows: history }], { title: model.kind }) };
}
