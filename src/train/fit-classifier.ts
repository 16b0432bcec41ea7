// Training a classifier as the tutorials do: the data in shared variables, one compiled step per
// minibatch (selected by index through givens), NLL plus L1/L2 penalties on the weights, validation and
// test errors as the mean over whole minibatches, and the run's files (best model, resume state,
// metrics) kept under `out`.
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { formatShape, type NDArray } from '../ndarray/index.js';
import type { Variable } from '../graph/variable.js';
import { iscalar, ivector, matrix, shared } from '../graph/constructors.js';
import { argmax, l1, l2Sqr, mean, neq, nll, slice } from '../ops/index.js';
import { fn } from '../compile/index.js';
import { ScheduledRate } from '../optim/index.js';
import type { Classifier } from '../models/classifier.js';
import type { EarlyStoppingOptions } from './early-stopping.js';
import { runLoop, type LoopResult, type LoopState, type ValidationRecord } from './loop.js';
import { appendMetrics, metricsRow, readMetrics, truncateMetrics, type MetricsRow } from './metrics.js';
import { buildUpdates, parseSchedule, type OptimizerName } from './optimizer.js';
import type { Progress } from './progress.js';
import { configDifferences, loadResumeState, restoreVariables, saveResumeState, trainingState } from './resume-state.js';

export interface LabelledSet {
  /** float32 [n, rows * cols] */
  x: NDArray;
  /** int32 [n] */
  y: NDArray;
}

export interface ClassifierData {
  train: LabelledSet;
  valid: LabelledSet;
  test: LabelledSet;
}

export interface FitOptions {
  batchSize: number;
  learningRate: number;
  maxEpochs: number;
  /** Weights of the L1 and squared-L2 penalties on the weights (not the biases). */
  l1?: number;
  l2?: number;
  optimizer?: OptimizerName;
  /** μ for momentum and nesterov. */
  momentum?: number;
  /** A schedule spec (see parseSchedule); constant by default. */
  schedule?: string;
  earlyStopping: EarlyStoppingOptions;
  /** Folder for model.nbm, resume.nbm and metrics.jsonl; nothing is written without it. */
  out?: string;
  /** Continue from out/resume.nbm when it exists. */
  resume?: boolean;
  /** The run's options, checked against the resume state's and stored with the model. */
  runConfig?: Record<string, unknown>;
  /** Extra facts for the model file (dataset, seed, ...). */
  meta?: Record<string, unknown>;
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

function checkSet(model: Classifier, set: LabelledSet, name: string, batchSize: number): number {
  const { x, y } = set;
  if (x.rank !== 2 || x.dtype !== 'float32' || x.shape[1] !== model.inputSize) {
    throw new Error(`${name} images are ${x.dtype}${formatShape(x.shape)}, but the ${model.kind} model reads float32[n, ${model.inputSize}]`);
  }
  if (y.rank !== 1 || y.dtype !== 'int32' || y.shape[0] !== x.shape[0]) {
    throw new Error(`${name} labels are ${y.dtype}${formatShape(y.shape)}; expected int32[${x.shape[0]}], one per image`);
  }
  const k = model.config.classes;
  const bad = y.data.findIndex((label) => label < 0 || label >= k);
  if (bad >= 0) throw new Error(`${name} label ${y.data[bad]} at index ${bad} is outside the model's ${k} classes`);
  const batches = Math.floor(x.shape[0] / batchSize);
  if (batches < 1) throw new Error(`the ${name} set has ${x.shape[0]} examples, fewer than one minibatch of ${batchSize}`);
  return batches;
}

/** A compiled function of a minibatch index over a data set held in shared variables. */
function minibatchFunction(x: Variable, y: Variable, set: LabelledSet, batchSize: number, output: Variable, updates?: ReturnType<typeof buildUpdates>) {
  const X = shared(set.x, 'data.x');
  const Y = shared(set.y, 'data.y');
  const index = iscalar('index');
  const rows = slice(index.mul(batchSize), index.add(1).mul(batchSize));
  const f = fn([index], output, { updates, givens: [[x, X.at(rows)], [y, Y.at(rows)]] });
  return { call: (i: number) => f(i) as number, data: [X, Y] };
}

/**
 * Trains `model` with minibatch SGD (or another update rule) and the tutorials' early stopping; leaves
 * the model holding its best parameters.
 * @example const result = fitClassifier(new Mlp(config), loadMnist(), { batchSize: 20, learningRate: 0.01,
 *   maxEpochs: 1000, l2: 1e-4, earlyStopping: { patience: 10000, patienceIncrease: 2, improvementThreshold: 0.995 }, out: 'runs/mlp' });
 */
export function fitClassifier(model: Classifier, data: ClassifierData, options: FitOptions): FitResult {
  const { batchSize } = options;
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new Error(`batch size ${batchSize} must be a positive integer`);
  const trainBatches = checkSet(model, data.train, 'training', batchSize);
  const validBatches = checkSet(model, data.valid, 'validation', batchSize);
  const testBatches = checkSet(model, data.test, 'test', batchSize);

  const x = matrix('x');
  const y = ivector('y');
  let cost = nll(model.probabilities(x, 'train'), y);
  for (const W of model.weights) {
    if (options.l1) cost = cost.add(l1(W).mul(options.l1));
    if (options.l2) cost = cost.add(l2Sqr(W).mul(options.l2));
  }
  const errors = mean(neq(argmax(model.probabilities(x, 'test'), 1), y));
  const rate = new ScheduledRate(parseSchedule(options.schedule ?? 'constant', options.learningRate));
  const updates = buildUpdates(options.optimizer ?? 'sgd', cost, model.params, { learningRate: rate.rate, momentum: options.momentum });
  const step = minibatchFunction(x, y, data.train, batchSize, cost, updates);
  const validate = minibatchFunction(x, y, data.valid, batchSize, errors);
  const test = minibatchFunction(x, y, data.test, batchSize, errors);
  const meanOver = (f: (i: number) => number, batches: number) => () => {
    let total = 0;
    for (let i = 0; i < batches; i++) total += f(i);
    return total / batches;
  };

  const tracked = trainingState(cost, updates, [...step.data, ...validate.data, ...test.data]);
  const files = options.out ? { model: join(options.out, RUN_FILES.model), resume: join(options.out, RUN_FILES.resume), metrics: join(options.out, RUN_FILES.metrics) } : undefined;
  const runConfig = options.runConfig ?? {};
  let best: Record<string, NDArray> = {};
  let history: MetricsRow[] = [];
  let resume: LoopState | undefined;
  let finished: LoopResult | undefined;
  let last: LoopState | undefined;

  if (files && options.resume) {
    const saved = loadResumeState(files.resume);
    if (!saved) {
      console.error(`nabla: ${files.resume} does not exist; starting from the beginning`);
    } else {
      const differences = configDifferences(saved.config, runConfig);
      if (differences.length) throw new Error(`${files.resume}: was written by a run with other options (${differences.join('; ')}); resume with the same options or start again without --resume`);
      restoreVariables(files.resume, tracked, saved.variables);
      best = saved.best;
      resume = saved.loop;
      finished = saved.finished;
      history = truncateMetrics(files.metrics, resume.iteration);
    }
  }
  if (options.out) mkdirSync(options.out, { recursive: true });
  if (files && !resume) {
    rmSync(files.metrics, { force: true });
    rmSync(files.resume, { force: true });
  }

  const saveState = (loop: LoopState, result?: LoopResult) => {
    if (!files) return;
    const variables = Object.fromEntries([...tracked].map(([key, v]) => [key, v.value]));
    saveResumeState(files.resume, { loop, config: runConfig, variables, best, finished: result });
  };
  const newBest = (record: ValidationRecord) => {
    best = Object.fromEntries(model.params.map((p) => [p.name!, p.get()]));
    if (files) {
      model.save(files.model, {
        ...options.meta, run: runConfig, epoch: record.epoch, iteration: record.iteration,
        best_valid_error: record.bestValidError, test_error: record.testError,
      });
    }
  };

  const progress = options.progress;
  const result = finished ?? runLoop({
    trainBatches,
    maxEpochs: options.maxEpochs,
    step: step.call,
    validate: meanOver(validate.call, validBatches),
    test: meanOver(test.call, testBatches),
    earlyStopping: options.earlyStopping,
    resume,
    stopAfter: options.stopAfter,
    hooks: {
      epochStart: (epoch) => {
        rate.step(epoch - 1);
        const done = epoch === Math.floor((resume?.iteration ?? 0) / trainBatches) + 1 ? (resume?.iteration ?? 0) % trainBatches : 0;
        progress?.epochStart(epoch, options.maxEpochs, trainBatches, done);
      },
      step: (_epoch, minibatch, c) => progress?.step(minibatch, c),
      newBest,
      validation: (record, state) => {
        const row = metricsRow(record);
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
    if (Object.keys(best).length) model.loadTensors(files?.model ?? 'best parameters', best);
    const state = last ?? resume;
    if (!finished && state) saveState(state, result);
  }
  return {
    ...result,
    history: files ? readMetrics(files.metrics) : history,
    modelPath: files?.model,
    metricsPath: files?.metrics,
    resumePath: files?.resume,
    resumedFrom: resume?.iteration ?? 0,
    validExamples: validBatches * batchSize,
    testExamples: testBatches * batchSize,
  };
}
