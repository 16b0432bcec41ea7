// A tagger's training run (`nabla train rnnslu`): the in-memory training of fit/tagger-training.ts plus
// the run's files under `out` (the best model, a resume state after each epoch, metrics), resuming a
// killed run from its last finished epoch, and progress (a bar within epochs, a line after each).
import {
  TaggerTraining, type ChunkScore, type TaggerData, type TaggerEpochRecord, type TaggerLoopState, type TaggerResult,
  type TaggerTrainingOptions, type TrainableTagger,
} from '../fit/index.js';
import { appendMetrics, readMetrics, truncateMetrics, type TaggerMetricsRow } from './metrics.js';
import type { PretrainProgress } from './pretrain-progress.js';
import { continuesFinished, markFinished, openRun, saveResumeState, trackedValues } from './resume-state.js';
import { runFiles } from './fit-classifier.js';

/** A tagger that saves itself to a model file. */
export interface SavableTagger extends TrainableTagger {
  save(path: string, meta?: Record<string, unknown>): void;
}

export interface TaggerFitOptions extends TaggerTrainingOptions {
  /** Folder for model.nbm, resume.nbm and metrics.jsonl; nothing is written without it. */
  out?: string;
  /** Continue from out/resume.nbm when it exists. */
  resume?: boolean;
  /** The run's options, checked against the resume state's and stored with the model. */
  runConfig?: Record<string, unknown>;
  /** Extra facts for the model file (dataset, seed, ...). */
  meta?: Record<string, unknown>;
  /** A line after each epoch. */
  log?: (line: string) => void;
  /** Live progress within epochs. */
  progress?: PretrainProgress;
  /** Stop after this many sentence updates in all, without finishing, as a killed run would. */
  stopAfter?: number;
}

export interface TaggerFitResult extends TaggerResult {
  /** One row per epoch, earlier sessions of a resumed run included. */
  history: TaggerMetricsRow[];
  modelPath?: string;
  metricsPath?: string;
  resumePath?: string;
  /** Epochs done before this session (0 for a fresh run). */
  resumedFrom: number;
}

const percent = (fraction: number) => `${(100 * fraction).toFixed(2)}%`;
const f1 = (score: ChunkScore) => (100 * score.f1).toFixed(2);

/** An epoch's line, with conlleval's figures in percent: "epoch 3/60: ... valid F1 93.12 (new best) ...". */
export function taggerEpochLine(record: TaggerEpochRecord, maxEpochs: number): string {
  const { valid } = record;
  const best = record.improved ? ' (new best)' : `, best ${f1(record.bestValid)} at epoch ${record.bestEpoch}`;
  return `epoch ${record.epoch}/${maxEpochs}: train cost ${record.trainCost.toFixed(4)}, lr ${record.learningRate.toPrecision(4)}, ` +
    `valid precision ${percent(valid.precision)} recall ${percent(valid.recall)} F1 ${f1(valid)}${best}, ` +
    `test F1 of best model ${f1(record.testAtBest)}, ${record.seconds.toFixed(1)} s`;
}

function metricsRow(record: TaggerEpochRecord): TaggerMetricsRow {
  return {
    epoch: record.epoch, iteration: record.iteration, train_cost: record.trainCost, learning_rate: record.learningRate,
    valid_precision: record.valid.precision, valid_recall: record.valid.recall, valid_f1: record.valid.f1,
    test_f1: record.test.f1, best_valid_f1: record.bestValid.f1, test_f1_of_best: record.testAtBest.f1,
    seconds: Number(record.seconds.toFixed(3)),
  };
}

/**
 * Trains a tagger as the ATIS tutorial does, writing the run's files; leaves the model holding its best
 * parameters.
 * @example const result = fitTagger(model, atis, { ...RNNSLU_TRAINING, out: 'runs/rnnslu' });
 * result.testAtBest.f1 // 0.94
 */
export function fitTagger(model: SavableTagger, data: TaggerData, options: TaggerFitOptions): TaggerFitResult {
  const training = new TaggerTraining(model, data, options);
  const files = options.out ? runFiles(options.out) : undefined;
  const runConfig = options.runConfig ?? {};
  const tracked = new Map(model.params.map((p) => [p.name!, p]));
  let resume: TaggerLoopState | undefined;
  let finished: TaggerResult | undefined;
  const saved = openRun<TaggerLoopState, TaggerResult>(files, { ...options, runConfig }, tracked);
  if (files && saved) {
    training.best = saved.best;
    resume = saved.loop;
    finished = continuesFinished(saved.finished, options.maxEpochs, files.resume) ? undefined : saved.finished;
    truncateMetrics<TaggerMetricsRow>(files.metrics, saved.loop.epochsDone * data.train.length);
  }
  const saveState = (loop: TaggerLoopState) => {
    if (!files) return;
    saveResumeState(files.resume, { loop, config: runConfig, variables: trackedValues(tracked), best: training.best });
  };

  let last = resume;
  const log = options.log ?? (() => {});
  if (resume && !finished) log(`resuming from ${files!.resume}: ${resume.epochsDone} epochs done`);
  const result = finished ?? training.run({
    resume,
    stopAfter: options.stopAfter,
    hooks: {
      epochStart: (epoch, sentences) => options.progress?.epochStart(`epoch ${epoch}/${options.maxEpochs}`, sentences),
      step: options.progress?.step,
      newBest: (record) => {
        if (!files) return;
        model.save(files.model, {
          ...options.meta, run: runConfig, epoch: record.epoch,
          best_valid_f1: record.bestValid.f1, test_f1: record.testAtBest.f1,
          test_precision: record.testAtBest.precision, test_recall: record.testAtBest.recall,
        });
      },
      epochEnd: (record, state) => {
        options.progress?.epochEnd();
        if (files) appendMetrics(files.metrics, metricsRow(record));
        last = state;
        saveState(state);
        log(taggerEpochLine(record, options.maxEpochs));
      },
    },
  });
  if (result.stoppedBy === 'interrupted') {
    options.progress?.epochEnd();
  } else {
    if (!finished && files && last) markFinished(files.resume, result);
    training.restoreBest();
  }
  return {
    ...result,
    history: files ? readMetrics<TaggerMetricsRow>(files.metrics) : [],
    modelPath: files?.model,
    metricsPath: files?.metrics,
    resumePath: files?.resume,
    resumedFrom: resume?.epochsDone ?? 0,
  };
}
