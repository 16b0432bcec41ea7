// What `nabla pca` and `nabla tsne` read and write: MNIST's training images (or an IDX folder's, or a
// .csv/.npy matrix with optional labels), the first --limit rows; the codes as CSV and NPY.
import type { Command } from 'commander';
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { loadMnist, readLabelsFile, readMatrixFile, writeCsv, writeNpy } from '../../data/index.js';
import { NDArray } from '../../ndarray/index.js';
import { parsers } from '../recipes/options.js';

export interface EmbeddingInput {
  /** 'mnist', the folder or the file, as given. */
  name: string;
  x: NDArray;
  labels?: Int32Array;
  /** [rows, cols] of an image, for image data. */
  imageShape?: [number, number];
}

export interface InputOptions {
  dataset: string;
  labels?: string;
  limit?: string;
  includeTest?: boolean;
}

/** Adds the data options both commands share; `limitNote` says what --limit defaults to. */
export function addInputOptions(command: Command, limitNote = ''): Command {
  return command
    .option('--dataset <mnist|dir|file>', "'mnist' (its 60,000 training images), a folder of IDX files in MNIST's layout, or a .csv/.npy matrix (a row per point)", 'mnist')
    .option('--labels <file>', 'with a matrix file: a .csv/.npy of integer labels, one per row (to colour the pictures and score the map)')
    .option('--limit <n>', `use only the first N rows${limitNote}`)
    .option('--include-test', "with MNIST or a folder: append the 10,000 test images (MNIST's 70,000 digits)");
}

/** Adds --backend, --json and --quiet; `backendNote` says what the backend runs. */
export function addRunOptions(command: Command, backendNote = ''): Command {
  return command
    .option('--backend <name>', `native or reference${backendNote}`)
    .option('--json', 'print one JSON object')
    .option('--quiet', 'print nothing but the result');
}

/**
 * Reads the data a command embeds; errors name the file and the row.
 * @example loadEmbeddingInput({ dataset: 'mnist', limit: '2000' }).x.shape // [2000, 784]
 */
export function loadEmbeddingInput(options: InputOptions, defaultLimit?: number): EmbeddingInput {
  const { dataset } = options;
  const limit = options.limit === undefined ? defaultLimit : parsers.positiveInt(options.limit, 'limit');
  const isFolder = dataset !== 'mnist' && existsSync(dataset) && statSync(dataset).isDirectory();
  if (dataset === 'mnist' || isFolder) {
    if (options.labels !== undefined) throw new Error(`--labels: ${dataset} brings its own labels; --labels goes with a .csv or .npy matrix`);
    const data = loadMnist({
      dir: isFolder ? dataset : undefined, validationSize: 0,
      limit: { valid: 0, ...(limit !== undefined && { train: limit }), ...(!options.includeTest && { test: 0 }) },
    });
    const parts = options.includeTest ? [data.train, data.test] : [data.train];
    const rows = Math.min(limit ?? Infinity, parts.reduce((n, p) => n + p.x.shape[0], 0));
    const d = data.train.x.shape[1];
    const x = new NDArray('float32', [rows, d]);
    const labels = new Int32Array(rows);
    let at = 0;
    for (const part of parts) {
      const take = Math.min(part.x.shape[0], rows - at);
      x.data.set(part.x.data.subarray(0, take * d), at * d);
      labels.set(part.y.data.subarray(0, take), at);
      at += take;
    }
    return { name: dataset, x, labels, imageShape: data.imageShape };
  }
  if (!existsSync(dataset)) throw new Error(`--dataset: ${dataset} is neither 'mnist', a folder nor a file`);
  if (options.includeTest) throw new Error('--include-test: goes with MNIST or an IDX folder, not a matrix file');
  let x = readMatrixFile(dataset);
  if (limit !== undefined && limit < x.shape[0]) x = new NDArray('float64', [limit, x.shape[1]], x.data.slice(0, limit * x.shape[1]));
  let labels: Int32Array | undefined;
  if (options.labels !== undefined) {
    const all = readLabelsFile(options.labels, readMatrixFile(dataset).shape[0]);
    labels = all.slice(0, x.shape[0]);
  }
  return { name: dataset, x, labels };
}

/**
 * Writes codes [N, k] as DIR/NAME.csv (columns NAME1..k, then the label when known) and DIR/NAME.npy.
 * @example writeCodes('out', 'tsne', map, labels) // out/tsne.csv, out/tsne.npy
 */
export function writeCodes(
  dir: string, name: string, codes: NDArray, labels?: Int32Array,
): { csv: string; npy: string } {
  const [n, k] = codes.shape;
  const csv = join(dir, `${name}.csv`);
  const npy = join(dir, `${name}.npy`);
  const columns = Array.from({ length: k }, (_, j) => `${name}${j + 1}`);
  if (labels) {
    const table = new NDArray('float64', [n, k + 1]);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < k; j++) table.data[i * (k + 1) + j] = codes.data[i * k + j];
      table.data[i * (k + 1) + k] = labels[i];
    }
    writeCsv(csv, table, [...columns, 'label']);
  } else {
    writeCsv(csv, codes, columns);
  }
  writeNpy(npy, codes);
  return { csv, npy };
}

/** Prefixes an error from the data with the data set's name, so it names the file. */
export function naming<T>(input: EmbeddingInput, run: () => T): T {
  try {
    return run();
  } catch (e) {
    const message = (e as Error).message;
    throw new Error(input.name === 'mnist' || message.startsWith(input.name) ? message : `${input.name}: ${message}`, { cause: e });
  }
}
