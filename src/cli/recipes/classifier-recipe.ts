// The recipe shape of the supervised tutorials (logreg, mlp, lenet): load the data, build the model,
// fit it with early stopping, draw the pictures, summarise. Each model's file gives only its defaults,
// its own options and how to build it.
import { join } from 'node:path';
import { getBackend } from '../../backends/index.js';
import type { Classifier, ClassifierConfig } from '../../models/classifier.js';
import { confusionMatrix } from '../../viz/index.js';
import { TUTORIAL_EARLY_STOPPING, type FitDefaults } from '../../fit/index.js';
import { fitClassifier } from '../../train/fit-classifier.js';
import { createProgress } from '../../train/progress.js';
import { COMMON_OPTIONS, type CommonOptions } from './common-options.js';

export type { CommonOptions } from './common-options.js';
import { withDefaults, type OptionDefault, type OptionSpec } from './options.js';
import { writeClassifierPictures } from './pictures.js';
import type { Recipe, RunSummary } from './recipe.js';
import { startRun } from './start-run.js';

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
}

/**
 * A recipe for a classifier from its defaults, options and builder.
 * @example export const logreg = classifierRecipe({ name: 'logreg', description: '...', defaults: { lr: 0.13 },
 *   modelOptions: [], build: (o, shape) => new LogisticRegression(shape) });
 */
export function classifierRecipe<O>(definition: ClassifierRecipeDefinition<O>): Recipe {
  const options = [...withDefaults(COMMON_OPTIONS, definition.defaults), ...definition.modelOptions];
  return {
    name: definition.name,
    description: definition.description,
    options,
    async run(raw, context = {}) {
      const { options: o, dataset: { name: dataset, data, classes } } = startRun<CommonOptions & O>(options, raw);
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
      };
      const result = fitClassifier(model, data, {
        batchSize: o.batchSize, learningRate: o.lr, maxEpochs: o.epochs, l1: o.l1, l2: o.l2,
        optimizer: o.optimizer, momentum: o.momentum, schedule: o.schedule,
        earlyStopping: {
          ...TUTORIAL_EARLY_STOPPING,
          patience: o.patience,
          patienceIncrease: o.patienceIncrease,
          improvementThreshold: o.improvementThreshold,
          validationFrequency: o.validationFrequency,
        },
        out, resume: o.resume, runConfig, meta: { dataset, seed: o.seed, pixel_scale: o.pixelScale },
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
      summary.pictures = writeClassifierPictures(
        out, model, result.history, confusion, Math.floor(data.train.x.shape[0] / o.batchSize),
      );
      return summary;
    },
  };
}
