// Up-down fine-tuning of a pre-trained DBN's generative model (Hinton et al. 2006), epoch by epoch
// over the training images joined to their labels, with a checkpoint after every epoch so a killed
// run resumes where it stopped.
import { existsSync } from 'node:fs';
import type { NDArray } from '../ndarray/index.js';
import { LayerTrainer, type LayerTrainingOptions } from '../fit/index.js';
import { appendOneHot } from '../models/dbn.js';
import type { GenerativeDbn } from '../models/generative-dbn.js';
import { loadModelFile, saveModelFile } from '../models/model-file.js';
import { appendMetrics, keepMetrics, measureName, type MetricsLine } from './metrics.js';
import { cpuClock } from './pretrain.js';
import type { PretrainProgress } from './pretrain-progress.js';
import { configDifferences, kernelsMeta, restoreKernels, restoreVariables } from './resume-state.js';

export interface UpDownOptions extends LayerTrainingOptions {
  /**
   * Gibbs steps in the top RBM per update: one count, or a schedule run in equal stages over the
   * epochs (the paper's [3, 6, 10]: CD-3 for the first third, then CD-6, then CD-10).
   */
  k: number | readonly number[];
  log?: (line: string) => void;
  progress?: PretrainProgress;
  checkpoint?: string;
  resume?: boolean;
  /** A metrics.jsonl to append a line of stage 'up-down' to after every epoch. */
  metrics?: string;
}

/** The stage of up-down's lines in metrics.jsonl. */
export const UP_DOWN_STAGE = 'up-down';

export interface UpDownResult {
  /** The mean wake reconstruction cross-entropy of each epoch, earlier sessions' included. */
  history: number[];
  monitorName: string;
  seconds: number;
  cpuSeconds: number;
}

const CHECKPOINT_KIND = 'up-down-checkpoint';

interface Progress {
  history: number[];
  seconds: number;
  cpuSeconds: number;
  /** The stage of the schedule whose step state the checkpoint holds. */
  stage: number;
}

/**
 * Trains `model` by up-down for `epochs` epochs on the images and labels of `train`.
 * @example upDown(dbn.generative, data.train, { epochs: 30, batchSize: 100, learningRate: 0.01, k: 3 })
 */
export function upDown(model: GenerativeDbn, train: { x: NDArray; y: NDArray }, options: UpDownOptions): UpDownResult {
  const log = options.log ?? (() => {});
  const schedule = typeof options.k === 'number' ? [options.k] : [...options.k];
  if (!schedule.length) throw new Error('up-down: k is an empty schedule');
  const stageOf = (epoch: number) =>
    Math.min(schedule.length - 1, Math.floor(((epoch - 1) * schedule.length) / options.epochs));
  const rows = model.config.classes ? appendOneHot(train.x, train.y, model.config.classes) : train.x;
  // The epoch count only where stages depend on it: a one-stage run may be resumed for more epochs.
  const config = {
    sizes: model.config.sizes, classes: model.config.classes, k: schedule,
    ...(schedule.length > 1 && { epochs: options.epochs }),
    batch_size: options.batchSize, learning_rate: options.learningRate, momentum: options.momentum ?? 0,
  };
  let progress: Progress = { history: [], seconds: 0, cpuSeconds: 0, stage: 0 };
  let restored: Record<string, NDArray> | undefined;
  if (options.resume && options.checkpoint && existsSync(options.checkpoint)) {
    const file = loadModelFile(options.checkpoint, CHECKPOINT_KIND);
    const differences = configDifferences(file.config, config);
    if (differences.length) throw new Error(`${options.checkpoint}: was written by an up-down run with other options (${differences.join('; ')}); resume with the same options or start again without --resume`);
    restored = file.tensors;
    progress = file.meta as unknown as Progress;
    restoreKernels(file.meta);
    // The parameters at once: a run whose epochs are all done trains no stage that would restore them.
    model.params.forEach((p, i) => p.set(file.tensors[`param/${i}`]));
    log(`resuming up-down fine-tuning from ${options.checkpoint}: ${progress.history.length}/${options.epochs} epochs done`);
  }
  // The epochs the checkpoint holds stay; any others an earlier run wrote go.
  const epochsDone = progress.history.length;
  const kept = (r: MetricsLine) => r.stage !== UP_DOWN_STAGE || r.epoch <= epochsDone;
  if (options.metrics) keepMetrics<MetricsLine>(options.metrics, kept);
  const started = performance.now() / 1000 - progress.seconds;
  const cpuStarted = cpuClock() - progress.cpuSeconds;
  for (let first = progress.history.length + 1; first <= options.epochs; ) {
    const stage = stageOf(first);
    let last = first;
    while (last < options.epochs && stageOf(last + 1) === stage) last++;
    // Each stage compiles its own step, with its own random streams and momentum (reset, as a
    // resumed run starting a stage would find them).
    const trainer = new LayerTrainer(model.upDown(schedule[stage], stage), rows, options, 'up-down');
    // Mid-stage, the step's own state too (momentum, random streams); a new stage starts them afresh.
    if (restored && stage === progress.stage) restoreVariables(options.checkpoint!, trainer.state, restored);
    restored = undefined;
    trainer.train(first, last, {
      epochStart: (epoch) => options.progress?.epochStart(`up-down epoch ${epoch}/${options.epochs}`, trainer.batches),
      step: options.progress?.step,
      epochEnd: (epoch, monitor, seconds) => {
        options.progress?.epochEnd();
        progress = {
          history: [...progress.history, monitor],
          seconds: performance.now() / 1000 - started,
          cpuSeconds: cpuClock() - cpuStarted,
          stage,
        };
        if (options.checkpoint) {
          // The stage's whole state, and the parameters by themselves for a resume that starts the next stage.
          const tensors = Object.fromEntries([...[...trainer.state].map(([key, v]) => [key, v.value]), ...model.params.map((p, i) => [`param/${i}`, p.value])]);
          const meta = { ...progress, ...kernelsMeta() };
          saveModelFile(options.checkpoint, { kind: CHECKPOINT_KIND, config, tensors, meta });
        }
        if (options.metrics) {
          appendMetrics(options.metrics, {
            epoch, iteration: epoch * trainer.batches, seconds: Number(progress.seconds.toFixed(3)),
            stage: UP_DOWN_STAGE,
            [measureName(trainer.monitorName)]: monitor,
          });
        }
        log(`up-down epoch ${epoch}/${options.epochs} (CD-${schedule[stage]} at the top): ${trainer.monitorName} ${monitor.toFixed(4)} (${seconds.toFixed(1)} s)`);
      },
    });
    first = last + 1;
  }
  return {
    history: progress.history,
    seconds: progress.seconds,
    cpuSeconds: progress.cpuSeconds,
    monitorName: model.upDownMonitorName,
  };
}
