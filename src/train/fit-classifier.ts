// A classifier's training run (`nabla train logreg|mlp|lenet|lstm|...`): the in-memory training of
// fit/ (ClassifierTraining, SequenceTraining), plus the run's files under `out` (the best model, a
// resume state at each validation, metrics), resuming a killed run, and progress.
import { join } from 'node:path';
import {
  ClassifierTraining, type EarlyStoppingOptions, type ErrorMeasure, type LabelledSet, type LoopResult, type LoopState,
  type LoopTraining, type StoppingOptions, type TrainingOptions, type ValidationRecord,
} from '../fit/index.js';
import type { Classifier } from '../models/classifier.js';
import { appendMetrics, metricsRow, readMetrics, truncateMetrics, type MetricsRow } from './metrics.js';
import type { Progress } from './progress.js';
import { openRun, saveResumeState, trackedValues } from './resume-state.js';

export interface ClassifierData {
  train: LabelledSet;
  valid: LabelledSet;
  test: LabelledSet;
}

export interface FitOptions extends TrainingOptions {
  maxEpochs: number;
  earlyStopping: EarlyStoppingOptions;
  /** Folder for model.nbm, resume.nbm and metrics.jsonl; nothing is written without it. */
  out?: string;
  /** Continue from out/resume.nbm when it exists. */
  resume?: boolean;
  /** The run's options, checked against the resume state's and stored with the model. */
  runConfig?: Record<string, unknown>;
  /** Extra facts for the model file (dataset, seed, ...). */
  meta?: Record<string, unknown>;
  /** The stage its metrics lines name, when the run has others (fine-tuning after pre-training). */
  stage?: string;
  progress?: Progress;
  /** Stop after this many iterations in all, without finishing, as a killed run would. */
  stopAfter?: number;
}

export interface FitResult extends LoopResult {
  /** One row per validation, including those of earlier sessions of a resumed run. */
  history: MetricsRow[];
  modelPath?: string;
  metricsPath?: string;
  resumePath?: string;
  /** The iteration a resumed run continued from (0 for a fresh run). */
  resumedFrom: number;
  /** Examples the validation and test errors count: whole minibatches only, as in the tutorials. */
  validExamples: number;
  testExamples: number;
}

/** The names of a run's files under its `out` folder. */
export const RUN_FILES = { model: 'model.nbm', resume: 'resume.nbm', metrics: 'metrics.jsonl' } as const;

/** The paths of a run's files under its `out` folder. */
export const runFiles = (out: string) => ({
  model: join(out, RUN_FILES.model), resume: join(out, RUN_FILES.resume), metrics: join(out, RUN_FILES.metrics),
});

/**
 * Trains `model` with minibatch SGD (or another update rule) and the tutorials' early stopping; leaves
 * the model holding its best parameters.
 * @example const result = fitClassifier(new Mlp(config), loadMnist(), { batchSize: 20, learningRate: 0.01,
 *   maxEpochs: 1000, l2: 1e-4, earlyStopping: { patience: 10000, patienceIncrease: 2, improvementThreshold: 0.995 },
 *   out: 'runs/mlp' });
 */
export function fitClassifier(model: Classifier, data: ClassifierData, options: FitOptions): FitResult {
  const training = new ClassifierTraining(model, data.train, options);
  const measures = { validation: training.errorOn(data.valid, 'validation'), test: training.errorOn(data.test, 'test') };
  return fitWithFiles(training, measures, (path, meta) => model.save(path, meta), options);
}

/** What a run with files needs beyond the training: its length, stopping rule and files. */
export type RunFileOptions = Omit<FitOptions, keyof TrainingOptions | 'earlyStopping'> & { earlyStopping: StoppingOptions };

/**
 * Runs any training in memory (ClassifierTraining, SequenceTraining) with a run's files under
 * `options.out`: the best model (written by `save`), a resume state at each validation, metrics.
 * @example fitWithFiles(training, { validation, test }, (path, meta) => lstm.save(path, meta), { maxEpochs: 100, ... })
 */
export function fitWithFiles(
  training: LoopTraining, measures: { validation: ErrorMeasure; test: ErrorMeasure },
  save: (path: string, meta: Record<string, unknown>) => void, options: RunFileOptions,
): FitResult {
  const { validation, test } = measures;
  const trainBatches = training.trainBatches;
  const files = options.out ? runFiles(options.out) : undefined;
  const runConfig = options.runConfig ?? {};
  let history: MetricsRow[] = [];
  let resume: LoopState | undefined;
  let finished: LoopResult | undefined;
  let last: LoopState | undefined;

  const saved = openRun(files, { ...options, runConfig }, training.state);
  if (files && saved) {
    training.best = saved.best;
    resume = saved.loop;
    finished = saved.finished;
    history = truncateMetrics(files.metrics, saved.loop.iteration, options.stage);
  }

  const saveState = (loop: LoopState, result?: LoopResult) => {
    if (!files) return;
    const variables = trackedValues(training.state);
    saveResumeState(files.resume, { loop, config: runConfig, variables, best: training.best, finished: result });
  };
  const newBest = (record: ValidationRecord) => {
    if (!files) return;
    save(files.model, {
      ...options.meta, run: runConfig, epoch: record.epoch, iteration: record.iteration,
      best_valid_error: record.bestValidError, test_error: record.testError,
    });
  };

  const progress = options.progress;
  const result = finished ?? training.run({
    maxEpochs: options.maxEpochs,
    validate: validation.measure,
    test: test.measure,
    earlyStopping: options.earlyStopping,
    resume,
    stopAfter: options.stopAfter,
    hooks: {
      epochStart: (epoch) => {
        const done = epoch === Math.floor((resume?.iteration ?? 0) / trainBatches) + 1
          ? (resume?.iteration ?? 0) % trainBatches
          : 0;
        progress?.epochStart(epoch, options.maxEpochs, trainBatches, done);
      },
      step: (_epoch, minibatch, c) => progress?.step(minibatch, c),
      newBest,
      validation: (record, state) => {
        const row = metricsRow(record, options.stage);
        history.push(row);
        if (files) appendMetrics(files.metrics, row);
        last = state;
        saveState(state);
        progress?.validation(record);
      },
    },
  });
  progress?.finish();
  if (result.stoppedBy !== 'interrupted') {
    training.restoreBest();
    const state = last ?? resume;
    if (!finished && state) saveState(state, result);
  }
  return {
    ...result,
    history: files ? readMetrics(files.metrics).filter((r) => r.stage === options.stage) : history,
    modelPath: files?.model,
    metricsPath: files?.metrics,
    resumePath: files?.resume,
    resumedFrom: resume?.iteration ?? 0,
    validExamples: validation.examples,
    testExamples: test.examples,
  };
}
