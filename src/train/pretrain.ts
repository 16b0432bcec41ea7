// Unsupervised training runs of one layer (a dA or an RBM, trained by fit/layer-trainer.ts) and
// greedy layer-wise pre-training of a stack (Deep Learning Tutorial, ch. 8.4 and 10.6): each layer
// trains on the representation the layers below give of the training set, computed once per layer
// rather than once per minibatch. A checkpoint after every epoch holds everything that changes
// (parameters, velocities, persistent chains, random counters), so a killed run resumes where it stopped.
import { existsSync } from 'node:fs';
import type { NDArray } from '../ndarray/index.js';
import { LayerTrainer, type LayerTrainingOptions } from '../fit/index.js';
import { loadModelFile, saveModelFile } from '../models/model-file.js';
import type { DeepNetwork } from '../models/deep-network.js';
import { layerTensors, mapRows, type UnsupervisedLayer } from '../models/unsupervised-layer.js';
import type { PretrainProgress } from './pretrain-progress.js';
import { appendMetrics, keepMetrics, measureName, type MetricsLine } from './metrics.js';
import { configDifferences, kernelsMeta, restoreKernels, restoreVariables } from './resume-state.js';

export interface EpochReport {
  /** 0-based layer index in the stack (0 for a single layer). */
  layer: number;
  /** 1-based epoch just finished. */
  epoch: number;
  /** Mean over the epoch's minibatches of the layer's monitor (see Objective.monitorName). */
  monitor: number;
  seconds: number;
}

/** A progress line: "pre-training layer 2/3, epoch 4/15: reconstruction cross-entropy 72.3120 (41.2 s)". */
function progressLine(trainer: LayerTrainer, layerCount: number, report: EpochReport, epochs: number): string {
  const where = layerCount > 1 ? `pre-training layer ${report.layer + 1}/${layerCount}, ` : '';
  return `${where}epoch ${report.epoch}/${epochs}: ${trainer.monitorName} ${report.monitor.toFixed(4)} (${report.seconds.toFixed(1)} s)`;
}

export interface PretrainOptions extends LayerTrainingOptions {
  /** Where progress lines go (one per epoch). */
  log?: (line: string) => void;
  /**
   * The data layer i trains on, given the representation from below (the raw data for layer 0);
   * a DBN whose top RBM sees the labels appends them here. Identity by default.
   */
  layerInput?: (layer: number, representation: NDArray) => NDArray;
  /** Called after every epoch (pictures, metrics). */
  onEpoch?: (report: EpochReport) => void;
  /** Live progress within epochs (a bar on a terminal). */
  progress?: PretrainProgress;
  /** A checkpoint file written after every epoch; with `resume`, read first if it exists. */
  checkpoint?: string;
  resume?: boolean;
  /** A metrics.jsonl to append a line to after every epoch: the layer's monitor under its measure name. */
  metrics?: string;
  /** The stage of layer i's lines ('pretrain-1', ...); none by default (a single layer's run). */
  metricsStage?: (layer: number) => string | undefined;
}

export interface PretrainResult {
  /** Per layer, the epoch monitors (earlier ones restored from a checkpoint when resuming). */
  history: number[][];
  monitorNames: string[];
  /** Training seconds, earlier sessions of a resumed run included. */
  seconds: number;
  cpuSeconds: number;
}

const CHECKPOINT_KIND = 'pretrain-checkpoint';

interface Progress {
  /** The layer being trained, and its epochs done. */
  layer: number;
  epochsDone: number;
  history: number[][];
  monitorNames: string[];
  /** Training seconds so far, earlier sessions of a resumed run included. */
  seconds: number;
  /** Processor seconds likewise: on a shared machine they measure the work better than the clock. */
  cpuSeconds: number;
}

/** Processor seconds (user and system) this process has used. */
export function cpuClock(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e6;
}

/** What a resumed run must share with the run that wrote the checkpoint. */
function checkpointConfig(layers: readonly UnsupervisedLayer[], options: PretrainOptions): Record<string, unknown> {
  return {
    layers: layers.map((l) => [l.kind, l.visible, l.hidden]),
    epochs: options.epochs, batch_size: options.batchSize, learning_rate: options.learningRate,
    momentum: options.momentum ?? 0,
  };
}

function saveCheckpoint(
  path: string, layers: readonly UnsupervisedLayer[], trainer: LayerTrainer, progress: Progress,
  config: Record<string, unknown>,
): void {
  const tensors: Record<string, NDArray> = {};
  layers.forEach((layer, i) => Object.assign(tensors, layerTensors(layer, `layer${i}.`)));
  for (const [key, v] of trainer.state) tensors[`state/${key}`] = v.value;
  saveModelFile(path, { kind: CHECKPOINT_KIND, config, tensors, meta: { ...progress, ...kernelsMeta() } });
}

function loadCheckpoint(
  path: string, layers: readonly UnsupervisedLayer[], config: Record<string, unknown>,
): { progress: Progress; state: Record<string, NDArray> } {
  const file = loadModelFile(path, CHECKPOINT_KIND);
  const differences = configDifferences(file.config, config);
  if (differences.length) throw new Error(`${path}: was written by a pre-training run with other options (${differences.join('; ')}); resume with the same options or start again without --resume`);
  layers.forEach((layer, i) => {
    layer.W.set(file.tensors[`layer${i}.W`]);
    layer.hbias.set(file.tensors[`layer${i}.hbias`]);
    layer.vbias.set(file.tensors[`layer${i}.vbias`]);
  });
  const state = Object.fromEntries(Object.entries(file.tensors).filter(([k]) => k.startsWith('state/')).map(([k, v]) => [k.slice('state/'.length), v]));
  restoreKernels(file.meta);
  return { progress: file.meta as unknown as Progress, state };
}

/**
 * Greedy layer-wise training: layer i trains for `epochs` epochs on layer i−1's mean activations
 * of the whole training set, computed once when layer i−1 is done.
 * @example pretrain([rbm1, rbm2, rbm3], train.x, { epochs: 100, batchSize: 10, learningRate: 0.01 })
 */
export function pretrain(
  layers: readonly UnsupervisedLayer[], data: NDArray, options: PretrainOptions,
): PretrainResult {
  const log = options.log ?? (() => {});
  const config = checkpointConfig(layers, options);
  let progress: Progress = { layer: 0, epochsDone: 0, history: layers.map(() => []), monitorNames: layers.map(() => ''), seconds: 0, cpuSeconds: 0 };
  let restored: Record<string, NDArray> | undefined;
  if (options.resume && options.checkpoint && existsSync(options.checkpoint)) {
    ({ progress, state: restored } = loadCheckpoint(options.checkpoint, layers, config));
    log(`resuming pre-training from ${options.checkpoint}: layer ${progress.layer + 1}/${layers.length}, ${progress.epochsDone}/${options.epochs} epochs done`);
  }
  const stageOf = options.metricsStage ?? (() => undefined);
  if (options.metrics) {
    // This run's stages keep the epochs the checkpoint holds, and lose any others an earlier run wrote.
    const layerOf = new Map(layers.map((_, i) => [stageOf(i), i]));
    const done = restored ? progress : { layer: 0, epochsDone: 0 };
    keepMetrics<MetricsLine>(options.metrics, (r) => {
      const layer = layerOf.get(r.stage);
      return layer === undefined || layer < done.layer || (layer === done.layer && r.epoch <= done.epochsDone);
    });
  }
  const finished = (i: number) => i < progress.layer || (i === progress.layer && progress.epochsDone >= options.epochs);
  // A checkpoint from before processor time was recorded counts none.
  progress.cpuSeconds ??= 0;
  const started = performance.now() / 1000 - progress.seconds;
  const cpuStarted = cpuClock() - progress.cpuSeconds;
  let representation = data;
  for (let i = 0; i < layers.length && !finished(layers.length - 1); i++) {
    const input = options.layerInput ? options.layerInput(i, representation) : representation;
    if (!finished(i)) {
      const trainer = new LayerTrainer(layers[i], input, options, `layer ${i + 1}`);
      progress.monitorNames[i] = trainer.monitorName;
      if (i === progress.layer && restored) restoreVariables(options.checkpoint!, trainer.state, restored);
      const where = layers.length > 1 ? `layer ${i + 1}/${layers.length} ` : '';
      trainer.train(i === progress.layer ? progress.epochsDone + 1 : 1, options.epochs, {
        epochStart: (epoch) => options.progress?.epochStart(`${where}epoch ${epoch}/${options.epochs}`, trainer.batches),
        step: options.progress?.step,
        epochEnd: (epoch, monitor, seconds) => {
          options.progress?.epochEnd();
          const report: EpochReport = { layer: i, epoch, monitor, seconds };
          progress = {
            ...progress,
            layer: i,
            epochsDone: epoch,
            seconds: performance.now() / 1000 - started,
            cpuSeconds: cpuClock() - cpuStarted,
          };
          progress.history[i].push(monitor);
          if (options.checkpoint) saveCheckpoint(options.checkpoint, layers, trainer, progress, config);
          log(progressLine(trainer, layers.length, report, options.epochs));
          if (options.metrics) {
            const stage = stageOf(i);
            appendMetrics(options.metrics, {
              epoch, iteration: (i * options.epochs + epoch) * trainer.batches,
              seconds: Number(progress.seconds.toFixed(3)),
              ...(stage === undefined ? {} : { stage }), [measureName(trainer.monitorName)]: monitor,
            });
          }
          options.onEpoch?.(report);
        },
      });
    }
    // The next layer's data: this layer's code for every example, computed once.
    if (i + 1 < layers.length) representation = mapRows((x) => layers[i].encode(x))(input);
  }
  return {
    history: progress.history,
    monitorNames: progress.monitorNames,
    seconds: progress.seconds,
    cpuSeconds: progress.cpuSeconds,
  };
}

/**
 * Trains one layer on its own (nabla train da | rbm): the same loop, checkpoints and resume.
 * @example trainLayer(new Rbm({ visible: 784, hidden: 500, k: 15, persistent: true }), train.x,
 *   { epochs: 15, batchSize: 20, learningRate: 0.1 })
 */
export function trainLayer(layer: UnsupervisedLayer, data: NDArray, options: PretrainOptions): PretrainResult {
  return pretrain([layer], data, options);
}

/**
 * Pre-trains a deep network's layers (its autoencoders or RBMs) on the training images, the labels
 * reaching a DBN's joined top RBM, then lets the network take over the pre-trained weights.
 * @example pretrainNetwork(sda, data.train, { epochs: 15, batchSize: 1, learningRate: 0.001 });
 * fitClassifier(sda, data, ...)
 */
export function pretrainNetwork(
  model: DeepNetwork, train: { x: NDArray; y: NDArray }, options: PretrainOptions,
): PretrainResult {
  const result = pretrain(model.pretrainingLayers, train.x, {
    ...options,
    layerInput: (i, codes) => model.pretrainingInput(i, codes, train.y),
  });
  model.afterPretraining();
  return result;
}
