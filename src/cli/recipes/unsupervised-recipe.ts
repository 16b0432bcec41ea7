// The recipe shape of the single-layer unsupervised tutorials (da, rbm): load the images, build the
// layer, train it epoch by epoch with a checkpoint after each (resumable), save it, draw its filters,
// its cost curve and its own pictures, and summarise. Each model's file gives its defaults, options,
// builder and pictures.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { getBackend } from '../../backends/index.js';
import type { NDArray } from '../../ndarray/index.js';
import type { Autoencoder } from '../../models/autoencoder.js';
import { LAYER_TUTORIAL } from '../../fit/index.js';
import type { Rbm } from '../../models/rbm.js';
import type { MnistData } from '../../data/index.js';
import { trainLayer } from '../../train/pretrain.js';
import { pretrainProgressBar } from '../../train/pretrain-progress.js';
import { COMMON_OPTIONS, RUN_FLAGS, type RunOptions } from './common-options.js';
import { parsers, withDefaults, type OptionDefault, type OptionSpec } from './options.js';
import type { Recipe, RunSummary } from './recipe.js';
import { startRun } from './start-run.js';
import { writeFilters } from './unsupervised-pictures.js';
import { writeRunCurves } from '../../viz/index.js';
import { RUN_FILES } from '../../train/fit-classifier.js';
import { readMetrics, type MetricsLine } from '../../train/metrics.js';
import { makeFolder } from '../../models/atomic-write.js';

/** The options an unsupervised layer's training takes, once parsed. */
export interface UnsupervisedOptions extends RunOptions {
  hidden: number;
}

/** The tutorials' settings for a dA and an RBM, and their seed. */
const LAYER_DEFAULTS = { epochs: LAYER_TUTORIAL.epochs, 'batch-size': LAYER_TUTORIAL.batchSize, lr: LAYER_TUTORIAL.learningRate, seed: 123 };

const HIDDEN_UNITS: OptionSpec = { flag: 'hidden', value: '<n>', description: 'hidden units', default: 500, parse: parsers.positiveInt };

/** Momentum for unsupervised training: the tutorials use none, the book's autoencoder 0.99. */
export const PRETRAIN_MOMENTUM: OptionSpec = { flag: 'momentum', value: '<mu>', description: 'classical momentum (0: plain SGD, as the tutorials)', default: 0, parse: parsers.nonNegative };

/** The file names of an unsupervised run under --out. */
export const UNSUPERVISED_FILES = { model: 'model.nbm', checkpoint: 'checkpoint.nbm' } as const;

/** Where progress lines go: standard error, or nowhere when quiet. */
export const progressLog = (quiet?: boolean) => (quiet ? () => {} : (line: string) => void process.stderr.write(`${line}\n`));

export interface UnsupervisedRecipeDefinition<O> {
  name: string;
  description: string;
  /**
   * Option defaults other than the tutorials' (15 epochs of minibatches of 20 at lr 0.1, seed 123,
   * 500 hidden units).
   */
  defaults?: Record<string, OptionDefault>;
  modelOptions: readonly OptionSpec[];
  build(options: UnsupervisedOptions & O, inputs: number): Autoencoder | Rbm;
  /** What the layer trains on (the images, or standardized images for Gaussian units). */
  trainingData?(options: UnsupervisedOptions & O, data: MnistData): NDArray;
  /** Pictures beyond filters and costs (reconstructions, samples); returns their paths by name. */
  pictures(
    layer: Autoencoder | Rbm, out: string, data: MnistData, options: UnsupervisedOptions & O,
    log: (line: string) => void,
  ): Record<string, string>;
}

/**
 * A recipe for an unsupervised layer from its defaults, options, builder and pictures.
 * @example export const daRecipe = unsupervisedRecipe({ name: 'da', defaults: { epochs: 15, ... }, ... });
 */
export function unsupervisedRecipe<O>(definition: UnsupervisedRecipeDefinition<O>): Recipe {
  const shared = COMMON_OPTIONS.filter((s) => RUN_FLAGS.includes(s.flag));
  const options = withDefaults(
    [...shared, PRETRAIN_MOMENTUM, HIDDEN_UNITS, ...definition.modelOptions],
    { ...LAYER_DEFAULTS, ...definition.defaults },
  );
  return {
    name: definition.name,
    description: definition.description,
    options,
    async run(raw, context = {}) {
      const { options: o, dataset: { name: dataset, data } } = startRun<UnsupervisedOptions & O>(options, raw);
      const log = progressLog(context.quiet);
      const out = o.out ?? join('runs', definition.name);
      makeFolder(out);
      const checkpoint = join(out, UNSUPERVISED_FILES.checkpoint);
      if (!o.resume) rmSync(checkpoint, { force: true });
      const metrics = join(out, RUN_FILES.metrics);
      const layer = definition.build(o, data.train.x.shape[1]);
      const filters = () => writeFilters(out, [layer.W.value], data.imageShape);
      const result = trainLayer(layer, definition.trainingData?.(o, data) ?? data.train.x, {
        epochs: o.epochs, batchSize: o.batchSize, learningRate: o.lr, momentum: o.momentum,
        checkpoint, resume: o.resume, metrics, log, progress: pretrainProgressBar(context.quiet),
        // The tutorial draws the filters after every epoch; a long run shows its progress this way.
        onEpoch: () => void filters(),
      });
      const modelPath = join(out, UNSUPERVISED_FILES.model);
      const history = result.history[0];
      layer.save(modelPath, {
        dataset, pixel_scale: o.pixelScale, seed: o.seed, epochs: o.epochs, monitor: result.monitorNames[0], history,
      });
      const pictures = {
        filters: filters(),
        ...definition.pictures(layer, out, data, o, log),
        ...await writeRunCurves(
          out, [{ name: definition.name, rows: readMetrics<MetricsLine>(metrics) }], { title: definition.name },
        ),
      };
      // Errors are a classifier's figures; an unsupervised run has none (null in the JSON summary).
      const summary: RunSummary = {
        model: definition.name, dataset, epochs: o.epochs, best_valid_error: null, test_error: null,
        monitor: result.monitorNames[0], final_monitor: history[history.length - 1], history,
        seconds: Number(result.seconds.toFixed(3)), cpu_seconds: Number(result.cpuSeconds.toFixed(3)),
        backend: getBackend().name, seed: o.seed,
        model_path: modelPath, checkpoint_path: checkpoint, metrics_path: metrics, pictures,
      };
      return summary;
    },
  };
}
