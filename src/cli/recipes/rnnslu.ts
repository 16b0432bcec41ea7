// `nabla train rnnslu`: the Elman network of the ATIS slot-filling tutorial (rnnslu.py) with its settings:
// windows of 7 words, embeddings of 50, 200 hidden units, lr 0.0971 halved after 10 epochs without a
// better validation F1, at most 60 epochs, seed 345. Published on fold 3: test F1 94.48 (conlleval).
// --dataset reads any file in the layout of ../shared/data/atis/fold3.json.gz.
import { join } from 'node:path';
import { getBackend, setBackend } from '../../backends/index.js';
import { defaultAtisFile, loadAtis } from '../../data/index.js';
import { RNNSLU_TRAINING, type ChunkScore } from '../../fit/index.js';
import { ELMAN_TUTORIAL, ElmanRnn } from '../../models/index.js';
import { fitTagger, pretrainProgressBar } from '../../train/index.js';
import { writeRunCurves } from '../../viz/index.js';
import { COMMON_OPTIONS, type RunOptions } from './common-options.js';
import { firstOfEachSplit, LIST_RUN_FLAGS } from './dataset.js';
import { parseOptions, parsers, withDefaults, type OptionSpec } from './options.js';
import type { F1RunSummary, Recipe } from './recipe.js';
import { progressLog } from './unsupervised-recipe.js';
import { makeFolder } from '../../models/atomic-write.js';

interface RnnsluOptions extends Pick<RunOptions, 'epochs' | 'lr' | 'seed' | 'backend' | 'out' | 'resume' | 'limit'> {
  dataset?: string;
  window: number;
  embedding: number;
  hidden: number;
  decay: boolean;
}

const OPTIONS: OptionSpec[] = [
  { flag: 'dataset', value: '<file>', description: 'ATIS data in the layout of fold3.json.gz, gzipped or plain (default: ../shared/data/atis/fold3.json.gz)' },
  ...withDefaults(COMMON_OPTIONS.filter((s) => LIST_RUN_FLAGS.includes(s.flag)), {
    epochs: RNNSLU_TRAINING.maxEpochs, lr: RNNSLU_TRAINING.learningRate, seed: ELMAN_TUTORIAL.seed,
  }),
  { flag: 'window', value: '<n>', description: 'words per context window (odd)', default: ELMAN_TUTORIAL.window, parse: parsers.positiveInt },
  { flag: 'embedding', value: '<n>', description: 'dimension of the word embeddings', default: ELMAN_TUTORIAL.embedding, parse: parsers.positiveInt },
  { flag: 'hidden', value: '<n>', description: 'hidden units', default: ELMAN_TUTORIAL.hidden, parse: parsers.positiveInt },
  { flag: 'decay', value: '<true|false>', description: 'halve the learning rate after 10 epochs without a better validation F1', default: 'true', parse: parsers.boolean },
];

const rounded = (x: number) => Number(x.toFixed(6));
const scoreFields = (prefix: string, s: ChunkScore) => ({
  [`${prefix}_precision`]: rounded(s.precision), [`${prefix}_recall`]: rounded(s.recall),
});

export const rnnsluRecipe: Recipe = {
  name: 'rnnslu',
  description: 'Elman RNN slot filling on ATIS (tutorial "Recurrent Neural Networks with Word Embeddings"): conlleval F1',
  options: OPTIONS,
  async run(raw, context = {}) {
    const o = parseOptions(OPTIONS, raw) as unknown as RnnsluOptions;
    if (o.backend) setBackend(o.backend);
    const dataset = o.dataset ?? defaultAtisFile();
    const data = firstOfEachSplit(loadAtis(dataset), o.limit);
    const sizes = { window: o.window, embedding: o.embedding, hidden: o.hidden };
    const model = new ElmanRnn({ words: data.words, labels: data.labels, ...sizes }, o.seed);
    const out = o.out ?? join('runs', 'rnnslu');
    makeFolder(out);
    const runConfig = {
      model: 'rnnslu', dataset, limit: o.limit ?? null, window: o.window, embedding: o.embedding, hidden: o.hidden,
      lr: o.lr, decay: o.decay, epochs: o.epochs, seed: o.seed,
    };
    const log = progressLog(context.quiet);
    const result = fitTagger(model, data, {
      ...RNNSLU_TRAINING, learningRate: o.lr, maxEpochs: o.epochs, seed: o.seed, decay: o.decay,
      out, resume: o.resume, runConfig, meta: { dataset, seed: o.seed },
      log: (line) => log(`rnnslu ${line}`), progress: pretrainProgressBar(context.quiet), stopAfter: context.stopAfter,
    });
    const summary: F1RunSummary = {
      model: 'rnnslu', dataset, epochs: result.epochs, best_epoch: result.bestEpoch,
      sentences: { train: data.train.length, valid: data.valid.length, test: data.test.length },
      seconds: Number(result.seconds.toFixed(3)), cpu_seconds: Number(result.cpuSeconds.toFixed(3)),
      seconds_per_epoch: Number((result.seconds / Math.max(1, result.epochs)).toFixed(3)),
      stopped_by: result.stoppedBy, resumed_from: result.resumedFrom, learning_rate: result.learningRate,
      backend: getBackend().name, seed: o.seed,
      model_path: result.modelPath!, metrics_path: result.metricsPath, resume_path: result.resumePath,
      pictures: await writeRunCurves(out, [{ name: 'rnnslu', rows: result.history }], { title: 'rnnslu' }),
      ...(result.bestValid ? scoreFields('valid', result.bestValid) : {}),
      ...(result.testAtBest ? scoreFields('test', result.testAtBest) : {}),
      best_valid_f1: result.bestValid ? rounded(result.bestValid.f1) : NaN,
      test_f1: result.testAtBest ? rounded(result.testAtBest.f1) : NaN,
    };
    return summary;
  },
};
