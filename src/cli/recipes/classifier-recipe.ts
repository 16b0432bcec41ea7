// The recipe shape of the supervised tutorials (logreg, mlp, lenet): load the data, build the model,
// fit it with early stopping, draw the pictures, summarise. Each model's file gives only its defaults,
// its own options and how to build it.
import { join } from 'node:path';
import { getBackend } from '../../backends/index.js';
import type { Classifier, ClassifierConfig } from '../../models/classifier.js';
import { confusionMatrix } from '../../viz/index.js';
import { TUTORIAL_EARLY_STOPPING, parseAugment, type AugmentOptions, type FitDefaults } from '../../fit/index.js';
import { fitClassifier } from '../../train/fit-classifier.js';
import { createProgress } from '../../train/progress.js';
import { readMetrics, type MetricsLine } from '../../train/metrics.js';
import { COMMON_OPTIONS, type CommonOptions } from './common-options.js';

export type { CommonOptions } from './common-options.js';
import { parsers, withDefaults, type OptionDefault, type OptionSpec } from './options.js';
import { writeClassifierPictures } from './pictures.js';
import type { Recipe, RunSummary } from './recipe.js';
import { startRun } from './start-run.js';

/** Training for robustness, open to every classifier recipe. */
interface RobustnessOptions {
  adversarial?: number;
  adversarialWeight: number;
  augment?: AugmentOptions;
}

const ROBUSTNESS_OPTIONS: OptionSpec[] = [
  {
    flag: 'adversarial', value: '<eps>', parse: parsers.nonNegative,
    description: 'adversarial training: mix the cost of gradient-sign examples at this L∞ budget into the cost',
  },
  {
    flag: 'adversarial-weight', value: '<w>', default: 0.5, parse: probability,
    description: 'the adversarial examples\' share of the cost with --adversarial',
  },
  {
    flag: 'augment', value: '<spec>', parse: parseAugment,
    description: 'train on copies shifted, rotated and noised afresh each epoch, e.g. shift=2,rotate=10,noise=0.1',
  },
];

/** A number in [0, 1]. */
function probability(text: string, flag: string): number {
  const v = parsers.number(text, flag);
  if (v < 0 || v > 1) throw new Error(`--${flag}: '${text}' is not a number in [0, 1]`);
  return v;
}

/**
 * A model's tutorial settings (what its fit uses by default) as a recipe's option defaults, so the
 * command line and the TypeScript API train alike.
 * @example tutorialDefaults(LOGISTIC_REGRESSION_TUTORIAL)
 *   // { lr: 0.13, 'batch-size': 600, epochs: 1000, patience: 5000 }
 */
export function tutorialDefaults(settings: FitDefaults): Record<string, number> {
  const defaults: Record<string, number> = { lr: settings.learningRate, 'batch-size': settings.batchSize, epochs: settings.epochs, patience: settings.patience };
  if (settings.l1 !== undefined) defaults.l1 = settings.l1;
  if (settings.l2 !== undefined) defaults.l2 = settings.l2;
  return defaults;
}

export interface ClassifierRecipeDefinition<O> {
  name: string;
  description: string;
  /** The tutorial's values of the common options (lr, batch-size, epochs, patience, seed, l1, l2). */
  defaults: Record<string, OptionDefault>;
  /** Options of the architecture itself (hidden sizes, kernels, ...). */
  modelOptions: readonly OptionSpec[];
  build(options: CommonOptions & O, data: ClassifierConfig): Classifier;
  /** The stage of the training's metrics lines when the run has others before it ('finetune'). */
  stage?: string;
}

/**
 * A recipe for a classifier from its defaults, options and builder.
 * @example export const logreg = classifierRecipe({ name: 'logreg', description: '...', defaults: { lr: 0.13 },
 *   modelOptions: [], build: (o, shape) => new LogisticRegression(shape) });
 */
export function classifierRecipe<O>(definition: ClassifierRecipeDefinition<O>): Recipe {
  const options = [
    ...withDefaults(COMMON_OPTIONS, definition.defaults), ...ROBUSTNESS_OPTIONS, ...definition.modelOptions,
  ];
  return {
    name: definition.name,
    description: definition.description,
    options,
    async run(raw, context = {}) {
      const started = startRun<CommonOptions & RobustnessOptions & O>(options, raw);
      const { options: o, dataset: { name: dataset, data, classes } } = started;
      const adversarial = o.adversarial === undefined
        ? undefined
        : { epsilon: o.adversarial, weight: o.adversarialWeight };
      const model = definition.build(o, { imageShape: data.imageShape, classes });
      const out = o.out ?? join('runs', definition.name);
      const usesMomentum = o.optimizer === 'momentum' || o.optimizer === 'nesterov';
      const runConfig = {
        model: definition.name, config: model.config, dataset, limit: o.limit ?? null,
        batch_size: o.batchSize, lr: o.lr,
        optimizer: o.optimizer, momentum: usesMomentum ? o.momentum : null, schedule: o.schedule, l1: o.l1, l2: o.l2,
        patience: o.patience, patience_increase: o.patienceIncrease, improvement_threshold: o.improvementThreshold,
        validation_frequency: o.validationFrequency ?? null, seed: o.seed,
        // Recorded only when changed, so that runs saved before the option existed still resume.
        ...(o.validationSize !== 10000 ? { validation_size: o.validationSize } : {}),
        ...(o.pixelScale !== 255 ? { pixel_scale: o.pixelScale } : {}),
        ...(adversarial ? { adversarial: adversarial.epsilon, adversarial_weight: adversarial.weight } : {}),
        ...(o.augment ? { augment: o.augment } : {}),
      };
      const result = fitClassifier(model, data, {
        batchSize: o.batchSize, learningRate: o.lr, maxEpochs: o.epochs, l1: o.l1, l2: o.l2,
        optimizer: o.optimizer, momentum: o.momentum, schedule: o.schedule,
        adversarial, augment: o.augment, seed: o.seed,
        earlyStopping: {
          ...TUTORIAL_EARLY_STOPPING,
          patience: o.patience,
          patienceIncrease: o.patienceIncrease,
          improvementThreshold: o.improvementThreshold,
          validationFrequency: o.validationFrequency,
        },
        out, resume: o.resume, runConfig, meta: { dataset, seed: o.seed, pixel_scale: o.pixelScale },
        stage: definition.stage,
        progress: createProgress({ quiet: context.quiet, label: `${definition.name} ` }),
        stopAfter: context.stopAfter,
      });
      const summary: RunSummary = {
        model: definition.name, dataset, pixel_scale: o.pixelScale,
        epochs: result.epochs, iterations: result.iterations,
        best_valid_error: result.bestValidError, best_iteration: result.bestIteration, test_error: result.testError,
        valid_examples: result.validExamples, test_examples: result.testExamples,
        seconds: Number(result.seconds.toFixed(3)), cpu_seconds: Number(result.cpuSeconds.toFixed(3)),
        stopped_by: result.stoppedBy, resumed_from: result.resumedFrom, backend: getBackend().name, seed: o.seed,
        model_path: result.modelPath!, metrics_path: result.metricsPath, resume_path: result.resumePath,
      };
      if (result.stoppedBy === 'interrupted') return summary;
      // The tutorial's test error counts whole minibatches; the confusion matrix counts every test image.
      const predicted = model.predict(data.test.x);
      const confusion = confusionMatrix(predicted, data.test.y, model.config.classes);
      let wrong = 0;
      predicted.data.forEach((label, i) => (wrong += label === data.test.y.data[i] ? 0 : 1));
      summary.test_error_all = wrong / predicted.size;
      // Every stage's curves: a pre-trained network's pre-training too.
      const rows = result.metricsPath ? readMetrics<MetricsLine>(result.metricsPath) : result.history;
      summary.pictures = await writeClassifierPictures(out, model, rows, confusion);
      return summary;
    },
  };
}
