// The pictures of unsupervised runs, as PNG files under --out: filters of each layer, reconstructions
// of test digits, and samples from Gibbs chains (Deep Learning Tutorial, ch. 15); curves come from metrics.jsonl.
import { NDArray } from '../../ndarray/index.js';
import { matrix } from '../../graph/constructors.js';
import { fn } from '../../compile/index.js';
import type { Rbm } from '../../models/rbm.js';
import { Hmc } from '../../models/hmc.js';
import { tileRasterImages, writePng } from '../../viz/index.js';

export const UNSUPERVISED_PICTURES = {
  reconstructions: 'reconstructions.png',
  samples: 'samples.png',
} as const;

/** filters.png for one layer, filters-layer2.png, ... for the layers above it. */
export const filtersFile = (layer: number) => (layer === 0 ? 'filters.png' : `filters-layer${layer + 1}.png`);

/**
 * The first `count` units of the top of `weights` (W₁ [inputs, n₁], W₂ [n₁, n₂], ...) as images in
 * input space: a unit of layer i is drawn as W₁ ⋯ W_i's column, the linear combination of the filters
 * below weighted by its own weights (one of Erhan et al. 2009's views of deep units).
 */
export function filterImages(weights: readonly NDArray[], count = 100): NDArray {
  let W = weights[0];
  if (weights.length > 1) {
    const [a, b] = [matrix('a'), matrix('b')];
    const product = fn([a, b], a.dot(b));
    for (const next of weights.slice(1)) W = product(W, next) as NDArray;
  }
  const [inputs, units] = W.shape;
  const n = Math.min(count, units);
  const images = new NDArray('float32', [n, inputs]);
  for (let u = 0; u < n; u++) for (let i = 0; i < inputs; i++) images.data[u * inputs + i] = W.data[i * units + u];
  return images;
}

/**
 * Writes the filters of layer `weights.length` as a 10x10 tiling (the tutorial's picture); returns its path.
 * @example writeFilters('runs/da', [da.W.get()], [28, 28]) // runs/da/filters.png
 */
export function writeFilters(out: string, weights: readonly NDArray[], imageShape: [number, number]): string {
  const path = `${out}/${filtersFile(weights.length - 1)}`;
  writePng(path, tileRasterImages(filterImages(weights), imageShape, [10, 10]));
  return path;
}

/**
 * Originals and their reconstructions in alternating rows of ten, 20 digits in all.
 * @example writeReconstructions('runs/da', test.x rows, da.reconstruct(rows), [28, 28])
 */
export function writeReconstructions(
  out: string, originals: NDArray, reconstructions: NDArray, imageShape: [number, number],
): string {
  const [n, d] = originals.shape;
  const rows = Math.ceil(Math.min(n, 20) / 10);
  const pairs = new NDArray('float32', [2 * rows * 10, d]);
  for (let k = 0; k < Math.min(n, 20); k++) {
    const [row, col] = [Math.floor(k / 10), k % 10];
    pairs.data.set(originals.data.subarray(k * d, (k + 1) * d), (2 * row * 10 + col) * d);
    pairs.data.set(reconstructions.data.subarray(k * d, (k + 1) * d), ((2 * row + 1) * 10 + col) * d);
  }
  const path = `${out}/${UNSUPERVISED_PICTURES.reconstructions}`;
  writePng(path, tileRasterImages(pairs, imageShape, [2 * rows, 10], [1, 1], { scaleRowsToUnitInterval: false }));
  return path;
}

export interface ChainOptions {
  /** Rows of the picture (the tutorial's n_samples, 10). */
  rows?: number;
  /** Gibbs steps between rows (plot_every, 1000). */
  every?: number;
}

/**
 * The tutorial's sampling picture: chains started at `start` (20 test digits), one row of their
 * mean-field visible units every `every` Gibbs steps; [rows · chains, visible], row by row.
 * @example const samples = gibbsRows(rbm, twentyTestDigits, { rows: 10, every: 1000 });
 */
export function gibbsRows(rbm: Rbm, start: NDArray, options: ChainOptions = {}, log?: (line: string) => void): NDArray {
  const { rows = 10, every = 1000 } = options;
  const [chains, d] = start.shape;
  const next = rbm.gibbsChains(start);
  const out = new NDArray('float32', [rows * chains, d]);
  for (let r = 0; r < rows; r++) {
    out.data.set(next(every).data, r * chains * d);
    log?.(`sampling: row ${r + 1}/${rows} after ${(r + 1) * every} Gibbs steps`);
  }
  return out;
}

/**
 * Rows of samples of a Gaussian-Bernoulli RBM's visible units drawn by hybrid Monte Carlo on its free energy
 * F(v) (a proper density over real vectors, exp(−F(v)) / Z), `every` draws apart, from chains at `start`;
 * with the sampler's final step size and acceptance rate.
 */
export function hmcRows(
  rbm: Rbm, start: NDArray, options: ChainOptions & { seed?: number } = {}, log?: (line: string) => void,
): { samples: NDArray; stepSize: number; acceptance: number } {
  const { rows = 10, every = 1000, seed } = options;
  if (rbm.config.visibleUnits !== 'gaussian') {
    throw new Error('--hmc: samples real-valued visible units; this RBM has binary ones (train it with --visible-units gaussian)');
  }
  const [chains, d] = start.shape;
  const hmc = new Hmc({ energy: (v) => rbm.freeEnergy(v), positions: start, seed });
  const samples = new NDArray('float32', [rows * chains, d]);
  for (let r = 0; r < rows; r++) {
    samples.data.set(hmc.sample(1, { burnIn: every - 1 }).data, r * chains * d);
    log?.(`sampling: row ${r + 1}/${rows} after ${(r + 1) * every} HMC draws (acceptance ${hmc.acceptanceRate.value.item().toFixed(3)})`);
  }
  return { samples, stepSize: hmc.stepSize.value.item(), acceptance: hmc.acceptanceRate.value.item() };
}

/** Writes `samples` ([rows · columns, pixels]) as a rows x columns tiling; returns the path. */
export function writeSamples(
  path: string, samples: NDArray, rows: number, imageShape: [number, number], scale = true,
): string {
  writePng(path, tileRasterImages(
    samples, imageShape, [rows, samples.shape[0] / rows], [1, 1], { scaleRowsToUnitInterval: scale },
  ));
  return path;
}

/** `count` consecutive rows of `x` from a seed-chosen start, as the tutorial picks its test digits. */
export function consecutiveRows(x: NDArray, count: number, seed: number): NDArray {
  const [n, d] = x.shape;
  if (n < count) throw new Error(`need ${count} examples to start the chains, the data has ${n}`);
  const start = (Math.imul(seed ^ 0x9e3779b9, 2654435761) >>> 0) % (n - count + 1);
  return new NDArray('float32', [count, d], x.data.slice(start * d, (start + count) * d) as Float32Array);
}
