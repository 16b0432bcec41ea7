// Unsupervised training of one layer (a dA or an RBM) on a data set, epoch by epoch, as the tutorials'
// train functions with givens do: the step takes a minibatch index into data held in a shared variable.
// Autoencoder.fit and Rbm.fit run it in memory; train/pretrain.ts adds stacks, checkpoints and resume.
import { assertFiniteMatrix, formatShape, type NDArray } from '../ndarray/index.js';
import type { SharedVariable } from '../graph/variable.js';
import { iscalar, matrix, shared } from '../graph/constructors.js';
import { slice } from '../ops/index.js';
import { grad } from '../grad/index.js';
import { fn, type CompiledFunction, type Update } from '../compile/index.js';
import { momentum as momentumRule, sgd } from '../optim/index.js';
import type { TrainableLayer } from './trainable.js';
import { trainingState } from './training-state.js';

export interface LayerTrainingOptions {
  epochs: number;
  batchSize: number;
  learningRate: number;
  /** Classical momentum (the book's μ = 0.99); 0, the tutorials' plain SGD, by default. */
  momentum?: number;
}

export interface EpochHooks {
  /** Before each epoch, for progress bars. */
  epochStart?(epoch: number): void;
  /** After each minibatch, with its monitor. */
  step?(minibatch: number, monitor: number): void;
  /** After each epoch, with the mean monitor and the epoch's seconds: checkpoints and progress lines. */
  epochEnd?(epoch: number, monitor: number, seconds: number): void;
}

/**
 * One layer's compiled training step over a data set, and the epochs that run it.
 * @example const trainer = new LayerTrainer(rbm, train.x, { epochs: 15, batchSize: 20, learningRate: 0.1 });
 * const monitors = trainer.train(1, 15); // one mean monitor per epoch
 */
export class LayerTrainer {
  readonly layer: TrainableLayer;
  readonly monitorName: string;
  readonly batches: number;
  /** Everything a step reads or changes besides the data, by key: what a checkpoint saves. */
  readonly state: Map<string, SharedVariable>;
  /** The compiled step (its `nodes` show what a step computes). */
  readonly step: CompiledFunction;

  /** How errors name the layer: 'the rbm', or 'layer 2' in a stack. */
  private readonly label: string;

  constructor(layer: TrainableLayer, data: NDArray, options: Omit<LayerTrainingOptions, 'epochs'>, label = `the ${layer.kind}`) {
    const { batchSize, learningRate } = options;
    if (data.rank !== 2 || data.shape[1] !== layer.visible) {
      throw new Error(`pretrain: the data for a ${layer.kind} with ${layer.visible} visible units (columns) is ${data.dtype}${formatShape(data.shape)}`);
    }
    assertFiniteMatrix(data, `pretrain: the data for ${label}`);
    if (!Number.isInteger(batchSize) || batchSize < 1) throw new Error(`pretrain: batch size ${batchSize} must be a positive integer`);
    this.batches = Math.floor(data.shape[0] / batchSize);
    if (this.batches < 1) throw new Error(`pretrain: ${data.shape[0]} examples make no minibatch of ${batchSize}`);
    this.layer = layer;
    this.label = label;
    const x = matrix('x');
    const objective = layer.objective(x, batchSize);
    this.monitorName = objective.monitorName;
    const grads = grad(objective.cost, layer.params, { considerConstant: objective.considerConstant });
    const rule: Update[] = options.momentum
      ? momentumRule(grads, layer.params, { learningRate, momentum: options.momentum })
      : sgd(grads, layer.params, { learningRate });
    const updates = [...rule, ...objective.updates];
    const dataset = shared(data, 'pretrain.data');
    const index = iscalar('index');
    this.step = fn([index], objective.monitor, {
      updates,
      givens: [[x, dataset.at(slice(index.mul(batchSize), index.add(1).mul(batchSize)))]],
      name: `train ${layer.kind}`,
    });
    this.state = trainingState(objective.monitor, updates, [dataset]);
  }

  /** One pass over the minibatches; returns the mean monitor. `onStep` sees each minibatch's. */
  runEpoch(onStep?: (minibatch: number, monitor: number) => void): number {
    let total = 0;
    for (let i = 0; i < this.batches; i++) {
      const monitor = this.step(i) as number;
      total += monitor;
      onStep?.(i + 1, monitor);
    }
    return total / this.batches;
  }

  /**
   * Epochs `first` to `last` (1-based); returns their mean monitors. A monitor that is not finite
   * stops training with an error: the learning rate is too large.
   */
  train(first: number, last: number, hooks: EpochHooks = {}): number[] {
    const monitors: number[] = [];
    for (let epoch = first; epoch <= last; epoch++) {
      const started = performance.now();
      hooks.epochStart?.(epoch);
      const monitor = this.runEpoch(hooks.step);
      if (!Number.isFinite(monitor)) {
        throw new Error(`training diverged: ${this.label}'s ${this.monitorName} is ${monitor} in epoch ${epoch}; try a smaller learning rate`);
      }
      monitors.push(monitor);
      hooks.epochEnd?.(epoch, monitor, (performance.now() - started) / 1000);
    }
    return monitors;
  }
}

/** The tutorials' settings for a dA and an RBM alike: 15 epochs of minibatches of 20 at lr 0.1. */
export const LAYER_TUTORIAL: LayerTrainingOptions = { epochs: 15, batchSize: 20, learningRate: 0.1 };

export interface LayerFitOptions extends Partial<LayerTrainingOptions> {
  /** After each epoch, with its mean monitor (progress lines). */
  onEpoch?(epoch: number, monitor: number): void;
}

export interface LayerFitResult {
  /** The mean monitor of each epoch. */
  history: number[];
  /** What the monitor measures ('reconstruction cross-entropy', 'pseudo-likelihood', ...). */
  monitorName: string;
}

/**
 * Trains a layer on data [n, visible] with the tutorials' settings where `options` is silent.
 * @example fitLayer(rbm, train.x, { epochs: 5 }).history // [-90.1, -81.7, ...]
 */
export function fitLayer(layer: TrainableLayer, data: NDArray, options: LayerFitOptions = {}): LayerFitResult {
  const { onEpoch, ...rest } = options;
  const settings = { ...LAYER_TUTORIAL, ...rest };
  const trainer = new LayerTrainer(layer, data, settings);
  const history = trainer.train(1, settings.epochs, { epochEnd: (epoch, monitor) => onEpoch?.(epoch, monitor) });
  return { history, monitorName: trainer.monitorName };
}
