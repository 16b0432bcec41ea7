// `nabla train rnnrbm`: the RNN-RBM of the polyphonic-music tutorial (rnnrbm.py) with its settings: 88
// piano keys at 0.3 s per step, 150 RBM hidden units, 100 RNN units, CD-15, SGD at 0.001 on stretches of
// 100 steps, 200 epochs. Published on Nottingham's training files: monitor −4.73 after 200 epochs (a
// training-set figure); the ICML 2012 paper's frame-level accuracy on the benchmark rolls: 75.4%.
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { getBackend, setBackend } from '../../backends/index.js';
import { loadMusic, songMatrix, type MusicSplit, type PianoRollOptions } from '../../data/index.js';
import { DensityTraining } from '../../fit/index.js';
import { RNN_RBM_TUTORIAL, RnnRbm } from '../../models/index.js';
import { fitWithFiles } from '../../train/fit-classifier.js';
import { createProgress } from '../../train/progress.js';
import { writeRunCurves } from '../../viz/index.js';
import { COMMON_OPTIONS, type RunOptions } from './common-options.js';
import { firstOfEachSplit, LIST_RUN_FLAGS } from './dataset.js';
import { parseOptions, parsers, withDefaults, type OptionSpec } from './options.js';
import type { AccuracyRunSummary, Recipe } from './recipe.js';

/** The shared Nottingham MIDI files, beside the nabla checkout. */
export const SHARED_NOTTINGHAM = fileURLToPath(new URL('../../../../shared/data/nottingham/midi', import.meta.url));

interface RnnrbmOptions extends Pick<RunOptions, 'epochs' | 'lr' | 'seed' | 'backend' | 'out' | 'resume' | 'limit'> {
  dataset?: string;
  timing: 'tempo-map' | 'tutorial';
  dt: number;
  pitchRange: [number, number];
  outsideRange: 'refuse' | 'clip';
  hidden: number;
  recurrent: number;
  k: number;
  stretch: number;
  patience: number;
}

const OPTIONS: OptionSpec[] = [
  { flag: 'dataset', value: '<dir|file>', description: 'a folder with train/valid/test subfolders of MIDI files, or note lists in JSON as nottingham.json.gz (default: ../shared/data/nottingham/midi)' },
  { flag: 'timing', value: '<mode>', description: "reading MIDI time: tempo-map (every tempo change) or tutorial (rnnrbm.py's midiread)", default: 'tempo-map', parse: parsers.choice(['tempo-map', 'tutorial'] as const) },
  { flag: 'dt', value: '<seconds>', description: 'seconds per piano-roll step when reading MIDI files and writing samples', default: RNN_RBM_TUTORIAL.dt, parse: parsers.positive },
  { flag: 'pitch-range', value: '<low,high>', description: 'MIDI notes kept, from low up to but not including high (the 88 piano keys)', default: RNN_RBM_TUTORIAL.range.join(','), parse: parsers.pair },
  { flag: 'outside-range', value: '<refuse|clip>', description: 'notes outside the pitch range: an error, or left out', default: 'refuse', parse: parsers.choice(['refuse', 'clip'] as const) },
  ...withDefaults(COMMON_OPTIONS.filter((s) => LIST_RUN_FLAGS.includes(s.flag)), {
    epochs: 200, lr: 0.001, seed: 1234,
  }),
  { flag: 'hidden', value: '<n>', description: 'hidden units of each step\'s RBM', default: RNN_RBM_TUTORIAL.hidden, parse: parsers.positiveInt },
  { flag: 'recurrent', value: '<n>', description: 'units of the RNN', default: RNN_RBM_TUTORIAL.recurrent, parse: parsers.positiveInt },
  { flag: 'k', value: '<n>', description: 'Gibbs steps of CD-k', default: RNN_RBM_TUTORIAL.k, parse: parsers.positiveInt },
  { flag: 'stretch', value: '<n>', description: "steps per SGD update: each sequence is cut into stretches of this length (the tutorial's batch_size)", default: 100, parse: parsers.positiveInt },
  { flag: 'patience', value: '<n>', description: 'early stopping: epochs without a better validation accuracy tolerated', default: 200, parse: parsers.positiveInt },
];

const rounded = (x: number) => Number(x.toFixed(6));

export const rnnrbmRecipe: Recipe = {
  name: 'rnnrbm',
  description: 'RNN-RBM on polyphonic music (tutorial "Modeling and generating sequences of polyphonic music"): frame-level accuracy',
  options: OPTIONS,
  async run(raw, context = {}) {
    const o = parseOptions(OPTIONS, raw) as unknown as RnnrbmOptions;
    if (o.backend) setBackend(o.backend);
    const dataset = o.dataset ?? SHARED_NOTTINGHAM;
    const reading: PianoRollOptions = { dt: o.dt, range: o.pitchRange, timing: o.timing, outsideRange: o.outsideRange };
    const data = firstOfEachSplit(loadMusic(dataset, reading), o.limit);
    const matrices = (split: MusicSplit) => data[split].map((song) => songMatrix(song, o.pitchRange));
    const [train, valid, test] = [matrices('train'), matrices('valid'), matrices('test')];
    const config = { range: o.pitchRange, dt: data.dt ?? o.dt, hidden: o.hidden, recurrent: o.recurrent, k: o.k };
    const model = new RnnRbm(config, o.seed);
    const training = new DensityTraining(model, train, { learningRate: o.lr, stretch: o.stretch, seed: o.seed });
    const out = o.out ?? join('runs', 'rnnrbm');
    const facts = {
      dataset, timing: o.timing, dt: config.dt, pitch_range: o.pitchRange, outside_range: o.outsideRange,
      limit: o.limit ?? null,
    };
    const runConfig = { model: 'rnnrbm', ...facts, config, lr: o.lr, stretch: o.stretch, epochs: o.epochs, patience: o.patience, seed: o.seed };
    const result = fitWithFiles(training, { validation: training.errorOn(valid), test: training.errorOn(test) },
      (path, meta) => model.save(path, meta), {
        maxEpochs: o.epochs,
        earlyStopping: { rule: 'validations', patience: o.patience, validationFrequency: training.trainBatches },
        out, resume: o.resume, runConfig, meta: { ...facts, seed: o.seed },
        progress: createProgress({ quiet: context.quiet, label: 'rnnrbm ', accuracy: true }),
        stopAfter: context.stopAfter,
      });
    const steps = (songs: number[][][]) => songs.reduce((n, s) => n + s.length, 0);
    const last = result.history.at(-1);
    const epochsRun = result.iterations / training.trainBatches;
    const summary: AccuracyRunSummary = {
      model: 'rnnrbm', ...facts,
      songs: { train: train.length, valid: valid.length, test: test.length },
      steps: { train: steps(data.train), valid: steps(data.valid), test: steps(data.test) },
      epochs: result.epochs, iterations: result.iterations,
      seconds: Number(result.seconds.toFixed(3)), cpu_seconds: Number(result.cpuSeconds.toFixed(3)),
      seconds_per_epoch: Number((result.seconds / Math.max(epochsRun, 1e-9)).toFixed(3)),
      stopped_by: result.stoppedBy, resumed_from: result.resumedFrom, backend: getBackend().name, seed: o.seed,
      model_path: result.modelPath!, metrics_path: result.metricsPath, resume_path: result.resumePath,
      monitor: last ? rounded(last.train_cost) : null, monitor_name: training.monitorName,
      best_epoch: Math.ceil(result.bestIteration / training.trainBatches),
    };
    if (result.stoppedBy === 'interrupted') return summary;
    return {
      ...summary,
      pictures: await writeRunCurves(out, [{ name: 'rnnrbm', rows: result.history }], { title: 'rnnrbm' }),
      best_valid_accuracy: rounded(1 - result.bestValidError),
      test_accuracy: rounded(1 - result.testError),
    };
  },
};
