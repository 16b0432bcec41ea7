// The recipe shape of the single-layer unsupervised tutorials (da, rbm): load the images, build the
// layer, train it epoch by epoch with a checkpoint after each (resumable), save it, draw its filters,
// its cost curve and its own pictures, and summarise. Each model's file gives its defaults, options,
// builder and pictures.
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { getBackend, setBackend, type BackendName } from '../../backends/index.js';
import type { NDArray } from '../../ndarray/index.js';
import type { Autoencoder } from '../../models/autoencoder.js';
import type { Rbm } from '../../models/rbm.js';
import type { MnistData } from '../../data/index.js';
import { trainLayer } from '../pretrain.js';
import { pretrainProgressBar } from '../pretrain-progress.js';
import { COMMON_OPTIONS } from './common-options.js';
import { loadDataset } from './dataset.js';
import { parseOptions, parsers, withDefaults, type OptionSpec } from './options.js';
import type { Recipe, RunSummary } from './recipe.js';
import { writeCostCurves, writeFilters } from './unsupervised-pictures.js';

/** The options an unsupervised layer's training takes, once parsed. */
export interface UnsupervisedOptions {
  dataset: string;
  validationSize: number;
  pixelScale: '255' | '256';
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

const SHARED_FLAGS = ['dataset', 'validation-size', 'pixel-scale', 'limit', 'epochs', 'batch-size', 'lr', 'seed', 'backend', 'out', 'resume'];

/** Momentum for unsupervised training: the tutorials use none, the book's autoencoder 0.99. */
export const PRETRAIN_MOMENTUM: OptionSpec = { flag: 'momentum', value: '<mu>', description: 'classical momentum (0: plain SGD, as the tutorials)', default: '0', parse: parsers.nonNegative };

/** The file names of an unsupervised run under --out. */
export const UNSUPERVISED_FILES = { model: 'model.nbm', checkpoint: 'checkpoint.nbm' } as const;

/** Where progress lines go: standard error, or nowhere when quiet. */
export const progressLog = (quiet?: boolean) => (quiet ? () => {} : (line: string) => void process.stderr.write(`${line}\n`));

export interface UnsupervisedRecipeDefinition<O> {
  name: string;
  description: string;
  /** The tutorial's values of epochs, batch-size, lr and seed. */
  defaults: Record<string, string>;
  modelOptions: readonly OptionSpec[];
  build(options: UnsupervisedOptions & O, inputs: number): Autoencoder | Rbm;
  /** What the layer trains on (the images, or standardized images for Gaussian units). */
  trainingData?(options: UnsupervisedOptions & O, data: MnistData): NDArray;
  /** Pictures beyond filters and costs (reconstructions, samples); returns their paths by name. */
  pictures(layer: Autoencoder | Rbm, out: string, data: MnistData, options: UnsupervisedOptions & O, log: (line: string) => void): Record<string, string>;
}

/**
 * A recipe for an unsupervised layer from its defaults, options, builder and pictures.
 * @example export const daRecipe = unsupervisedRecipe({ name: 'da', defaults: { epochs: '15', ... }, ... });
 */
export function unsupervisedRecipe<O>(definition: UnsupervisedRecipeDefinition<O>): Recipe {
  const shared = COMMON_OPTIONS.filter((s) => SHARED_FLAGS.includes(s.flag));
  const options = [...withDefaults([...shared, PRETRAIN_MOMENTUM], definition.defaults), ...definition.modelOptions];
  return {
    name: definition.name,
    description: definition.description,
    options,
    async run(raw, context = {}) {
      const o = parseOptions(options, raw) as unknown as UnsupervisedOptions & O;
      if (o.backend) setBackend(o.backend);
      const log = progressLog(context.quiet);
      const { name: dataset, data } = loadDataset(o.dataset, o.limit, o.validationSize, Number(o.pixelScale));
      const out = o.out ?? join('runs', definition.name);
      mkdirSync(out, { recursive: true });
      const checkpoint = join(out, UNSUPERVISED_FILES.checkpoint);
      if (!o.resume) rmSync(checkpoint, { force: true });
      const layer = definition.build(o, data.train.x.shape[1]);
      const filters = () => writeFilters(out, [layer.W.value], data.imageShape);
      const result = trainLayer(layer, definition.trainingData?.(o, data) ?? data.train.x, {
        epochs: o.epochs, batchSize: o.batchSize, learningRate: o.lr, momentum: o.momentum, checkpoint, resume: o.resume, log, progress: pretrainProgressBar(context.quiet),
        // The tutorial draws the filters after every epoch; a long run shows its progress this way.
        onEpoch: () => void filters(),
      });
      const modelPath = join(out, UNSUPERVISED_FILES.model);
      const history = result.history[0];
      layer.save(modelPath, { dataset, pixel_scale: Number(o.pixelScale), seed: o.seed, epochs: o.epochs, monitor: result.monitorNames[0], history });
      const pictures = {
        filters: filters(),
        cost: writeCostCurves(out, result.history, result.monitorNames, `${definition.name}: ${result.monitorNames[0]} per epoch`),
        ...definition.pictures(layer, out, data, o, log),
      };
      // Errors are a classifier's figures; an unsupervised run has none (null in the JSON summary).
      return {
        model: definition.name, dataset, epochs: o.epochs, best_valid_error: null, test_error: null,
        monitor: result.monitorNames[0], final_monitor: history[history.length - 1], history,
        seconds: Number(result.seconds.toFixed(3)), cpu_seconds: Number(result.cpuSeconds.toFixed(3)), backend: getBackend().name, seed: o.seed,
        model_path: modelPath, checkpoint_path: checkpoint, pictures,
      } as unknown as RunSummary;
    },
  };
}
