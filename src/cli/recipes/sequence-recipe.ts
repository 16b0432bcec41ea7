// The recipe shape of the IMDB sentiment models (lstm, bow): read the reviews and the dictionary, split
// them as lstm.py does (or keep every review, truncated), train with lstm.py's loop and early stopping,
// keep the run's files, draw the curves, summarise. Each model's file gives its defaults and builder.
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { getBackend, setBackend } from '../../backends/index.js';
import { readImdb, readImdbDictionary, reviewBatches, splitImdb, type ImdbSplits } from '../../data/index.js';
import { SequenceTraining } from '../../fit/index.js';
import type { SequenceClassifier } from '../../models/index.js';
import { OPTIMIZERS, type OptimizerName } from '../../optim/index.js';
import { fitWithFiles } from '../../train/fit-classifier.js';
import { createProgress } from '../../train/progress.js';
import { COMMON_OPTIONS } from './common-options.js';
import { parseOptions, parsers, withDefaults, type OptionDefault, type OptionSpec } from './options.js';
import { writeRunCurves } from '../../viz/index.js';
import type { Recipe, RunSummary } from './recipe.js';

/** The shared copy of the data, beside the nabla checkout. */
export const SHARED_IMDB = (file: string) => fileURLToPath(new URL(`../../../../shared/data/imdb/${file}`, import.meta.url));

export interface SequenceOptions {
  dataset: string;
  dict: string;
  nWords: number;
  maxlen?: number;
  truncate?: number;
  testSize?: number;
  epochs: number;
  batchSize: number;
  validBatchSize: number;
  optimizer: OptimizerName;
  lr?: number;
  decay: number;
  patience: number;
  validationFrequency: number;
  seed: number;
  backend?: 'native' | 'reference';
  out?: string;
  resume?: boolean;
}

/** lstm.py's step sizes: lrate 0.0001 for sgd; its adadelta and rmsprop ignore lrate. */
const TUTORIAL_RATES: Partial<Record<OptimizerName, number>> = { sgd: 0.0001, adadelta: 1, 'centered-rmsprop': 0.0001 };

const common = (flag: string) => COMMON_OPTIONS.find((s) => s.flag === flag)!;

/** '500' or 'all'. */
const testSize = (text: string, flag: string): number | undefined => (text === 'all' ? undefined : parsers.positiveInt(text, flag));

export const SEQUENCE_OPTIONS: readonly OptionSpec[] = [
  { flag: 'dataset', value: '<file>', description: 'reviews in the layout of imdb.json.gz (default: ../shared/data/imdb/imdb.json.gz beside nabla)' },
  { flag: 'dict', value: '<file>', description: 'its dictionary, in the layout of dict.json.gz (default: the shared dict.json.gz)' },
  { flag: 'n-words', value: '<n>', description: 'vocabulary: words of index ≥ n become the unknown word', default: 10000, parse: parsers.positiveInt },
  { flag: 'maxlen', value: '<n>', description: "keep only training reviews shorter than n words (lstm.py's filter); 'none' keeps all", default: 100, parse: (t, f) => (t === 'none' ? undefined : parsers.positiveInt(t, f)) },
  { flag: 'truncate', value: '<n>', description: 'keep every review, cut to its last n words (every split; implies --maxlen none)', parse: parsers.positiveInt },
  { flag: 'test-size', value: '<n|all>', description: "a random sample of n test reviews (lstm.py's test_size) or all 25,000", default: 500, parse: testSize },
  { ...common('epochs'), default: 100 },
  { ...common('batch-size'), default: 16 },
  { flag: 'valid-batch-size', value: '<n>', description: 'minibatch size when measuring errors', default: 64, parse: parsers.positiveInt },
  { flag: 'optimizer', value: '<name>', description: `update rule: ${OPTIMIZERS.join(', ')} (centered-rmsprop is lstm.py's rmsprop)`, default: 'adadelta', parse: parsers.choice(OPTIMIZERS) },
  { flag: 'lr', value: '<x>', description: "learning rate (default: lstm.py's, 0.0001 for sgd and centered-rmsprop, 1 (no scaling) for adadelta)", parse: parsers.positive },
  { flag: 'decay', value: '<x>', description: "lstm.py's decay_c: weight of the squared L2 penalty on the output weights", default: 0, parse: parsers.nonNegative },
  { flag: 'patience', value: '<n>', description: 'early stopping: validations without progress tolerated, as lstm.py counts them', default: 10, parse: parsers.positiveInt },
  { flag: 'validation-frequency', value: '<n>', description: "minibatches between validations (lstm.py's validFreq)", default: 370, parse: parsers.positiveInt },
  { ...common('seed'), default: 123 },
  common('backend'),
  common('out'),
  common('resume'),
];

export interface SequenceRecipeDefinition<O> {
  name: string;
  description: string;
  defaults?: Record<string, OptionDefault>;
  modelOptions: readonly OptionSpec[];
  /** The reviews as the model reads them (the bag of words takes each review's distinct words). */
  prepare?(splits: ImdbSplits): ImdbSplits;
  build(options: SequenceOptions & O): SequenceClassifier;
}

/**
 * A recipe for a classifier of IMDB reviews from its defaults, options and builder.
 * @example export const bowRecipe = sequenceRecipe({ name: 'bow', ...,
 *   build: (o) => new BagOfWords({ nWords: o.nWords, classes: 2 }) });
 */
export function sequenceRecipe<O>(definition: SequenceRecipeDefinition<O>): Recipe {
  const options = withDefaults([...SEQUENCE_OPTIONS, ...definition.modelOptions], definition.defaults ?? {});
  return {
    name: definition.name,
    description: definition.description,
    options,
    async run(raw, context = {}) {
      const given = raw.truncate !== undefined && raw.maxlen === undefined ? { ...raw, maxlen: 'none' } : raw;
      const o = parseOptions(options, given) as unknown as SequenceOptions & O;
      if (o.backend) setBackend(o.backend);
      const [dataset, dictPath] = [resolve(o.dataset ?? SHARED_IMDB('imdb.json.gz')), resolve(o.dict ?? SHARED_IMDB('dict.json.gz'))];
      const dictionary = readImdbDictionary(dictPath);
      const splits = splitImdb(readImdb(dataset, dictionary.words.length), {
        nWords: o.nWords, maxlen: o.maxlen, truncate: o.truncate, seed: o.seed, testSize: o.testSize,
      });
      const { train, valid, test } = definition.prepare?.(splits) ?? splits;
      const model = definition.build(o);
      const training = new SequenceTraining(model, reviewBatches(train, o.batchSize, o.seed), {
        optimizer: o.optimizer, learningRate: o.lr ?? TUTORIAL_RATES[o.optimizer] ?? 0.01, decay: o.decay,
      });
      const measures = {
        validation: training.errorOn(reviewBatches(valid, o.validBatchSize)),
        test: training.errorOn(reviewBatches(test, o.validBatchSize)),
      };
      const out = o.out ?? join('runs', definition.name);
      const data = {
        dataset, dict: dictPath, n_words: o.nWords, maxlen: o.maxlen ?? null, truncate: o.truncate ?? null,
        test_size: o.testSize ?? null,
      };
      const runConfig = {
        model: definition.name, config: model.config, ...data, batch_size: o.batchSize, optimizer: o.optimizer,
        lr: o.lr ?? null, decay: o.decay, patience: o.patience, validation_frequency: o.validationFrequency,
        seed: o.seed,
      };
      const result = fitWithFiles(training, measures, (path, meta) => model.save(path, meta), {
        maxEpochs: o.epochs,
        earlyStopping: { rule: 'validations', patience: o.patience, validationFrequency: o.validationFrequency },
        out, resume: o.resume, runConfig, meta: { ...data, seed: o.seed },
        progress: createProgress({ quiet: context.quiet, label: `${definition.name} ` }),
        stopAfter: context.stopAfter,
      });
      const epochsRun = result.iterations / training.trainBatches;
      const summary: RunSummary = {
        model: definition.name, ...data,
        train_examples: train.x.length, valid_examples: valid.x.length, test_examples: test.x.length,
        epochs: result.epochs, iterations: result.iterations,
        seconds: Number(result.seconds.toFixed(3)), cpu_seconds: Number(result.cpuSeconds.toFixed(3)),
        seconds_per_epoch: Number((result.seconds / Math.max(epochsRun, 1e-9)).toFixed(3)),
        stopped_by: result.stoppedBy, resumed_from: result.resumedFrom, backend: getBackend().name, seed: o.seed,
        model_path: result.modelPath!, metrics_path: result.metricsPath, resume_path: result.resumePath,
        best_iteration: result.bestIteration, best_valid_error: result.bestValidError, test_error: result.testError,
      };
      if (result.stoppedBy === 'interrupted') return summary;
      const curves = [{ name: definition.name, rows: result.history }];
      const pictures = await writeRunCurves(out, curves, { title: definition.name });
      // Pictures before the errors, so that the summary ends with best_valid_error and test_error.
      const { best_valid_error: bestValid, test_error: testError, ...rest } = summary;
      return { ...rest, pictures, best_valid_error: bestValid, test_error: testError };
    },
  };
}
