// The data a saved classifier is judged on (nabla eval, nabla attack): --dataset (the model's own training
// data by default), --split, --validation-size and --limit, with the pixels scaled as in training and the
// image size and labels checked against the model.
import type { Command } from 'commander';
import type { Classifier } from '../models/index.js';
import type { LabelledSet } from '../fit/index.js';
import { pixelScaleOf } from '../models/index.js';
import { datasetFor, loadDataset } from './recipes/dataset.js';

export interface SplitOptions {
  dataset?: string;
  split: string;
  validationSize: string;
  limit?: string;
}

export const SPLITS = ['test', 'valid', 'train'] as const;

/** Adds --dataset, --split, --validation-size and --limit to a command. */
export function splitOptions(command: Command): Command {
  return command
    .option('--dataset <mnist|dir>', "'mnist' or a folder of IDX files named as MNIST's (default: the model's training data)")
    .option('--split <name>', 'test, valid or train', 'test')
    .option('--validation-size <n>', 'examples at the end of the training files that form the validation split', '10000')
    .option('--limit <n|train,valid,test>', 'keep only the first examples of each split');
}

/**
 * The split `options` name, checked against `model` (saved at `modelPath`, named in errors).
 * @example const { name, set } = classifierSplit(model, 'runs/mlp/model.nbm', { split: 'test', validationSize: '0' });
 */
export function classifierSplit(
  model: Classifier, modelPath: string, options: SplitOptions,
): { name: string; set: LabelledSet } {
  if (!(SPLITS as readonly string[]).includes(options.split)) throw new Error(`--split: '${options.split}' is not test, valid or train`);
  const validationSize = Number(options.validationSize);
  if (!Number.isInteger(validationSize) || validationSize < 0) throw new Error(`--validation-size: '${options.validationSize}' is not a whole number`);
  // Pixels scaled as in training (k/255 unless the model was trained with --pixel-scale 256).
  const dataset = datasetFor(options.dataset, model.meta, modelPath);
  const { name, data } = loadDataset(dataset, options.limit, validationSize, pixelScaleOf(modelPath, model.meta));
  const [rows, cols] = model.config.imageShape;
  if (data.imageShape[0] !== rows || data.imageShape[1] !== cols) {
    throw new Error(`${modelPath}: the model reads ${rows}x${cols} images, but ${name} holds ${data.imageShape.join('x')} images`);
  }
  const set = data[options.split as (typeof SPLITS)[number]];
  const bad = set.y.data.findIndex((label) => label >= model.config.classes);
  if (bad >= 0) throw new Error(`${name} ${options.split} label ${set.y.data[bad]} at index ${bad} is outside the ${model.config.classes} classes of ${modelPath}`);
  return { name, set };
}
