// What a denoising autoencoder and an RBM share, and what the greedy layer-wise loop needs from a
// layer it pre-trains: the tied parameters (W, hbias, vbias), an encoder, a training objective, and
// fit / transform / save on top of them.
import { NDArray, formatShape } from '../ndarray/index.js';
import { SharedVariable, type Variable } from '../graph/variable.js';
import { matrix, shared } from '../graph/constructors.js';
import { RandomStreams } from '../random/index.js';
import { fn } from '../compile/index.js';
import { glorotBound, uniformWeights } from '../nn/index.js';
import { fitLayer, type LayerFitOptions, type LayerFitResult, type Objective, type TrainableLayer } from '../fit/index.js';
import { expectShapes, loadModelFile, saveModelFile } from './model-store.js';

/** A layer's parameters; a deep network passes its sigmoid layer's W and b as W and hbias to share them. */
export interface LayerParams {
  W: SharedVariable;
  hbias: SharedVariable;
  vbias: SharedVariable;
}

/** A layer of `visible` inputs and `hidden` sigmoid units with tied weights: an autoencoder or an RBM. */
export abstract class UnsupervisedLayer implements TrainableLayer {
  abstract readonly kind: 'autoencoder' | 'rbm';
  /** Everything needed to rebuild the layer; saved with it. */
  abstract readonly config: { visible: number; hidden: number };
  readonly visible: number;
  readonly hidden: number;
  /** [visible, hidden]; shared with the sigmoid layer of a deep network built on this layer. */
  readonly W: SharedVariable;
  readonly hbias: SharedVariable;
  readonly vbias: SharedVariable;
  /** The parameters the layer's own training changes. */
  readonly params: SharedVariable[];
  /** The layer's own random numbers (corruption, Gibbs sampling). */
  readonly rng: RandomStreams;

  /**
   * `shared` lets a deep network's sigmoid layer and this layer hold the same W and hbias;
   * `index`, the layer's position in a stack, gives each layer its own random numbers.
   */
  constructor(visible: number, hidden: number, seed: number, shared: Partial<LayerParams> = {}, index = 0) {
    this.visible = visible;
    this.hidden = hidden;
    ({ W: this.W, hbias: this.hbias, vbias: this.vbias } = layerParams(visible, hidden, seed + index, shared));
    this.params = [this.W, this.hbias, this.vbias];
    this.rng = new RandomStreams((seed + 7919 * (index + 1)) >>> 0);
  }

  /** The hidden units' mean activation, p(h = 1 | x) or s(xW + b): the next layer's input. */
  abstract encode(x: Variable): Variable;
  /** The training objective for a minibatch of `batchSize` rows (a persistent chain needs the size). */
  abstract objective(x: Variable, batchSize: number): Objective;

  /**
   * Trains the layer on data [n, visible] (the tutorials' 15 epochs, minibatches of 20, lr 0.1, unless
   * given); returns the mean monitor of each epoch.
   * @example rbm.fit(train.x, { epochs: 5 }).history // pseudo-likelihood per epoch (PCD)
   */
  fit(data: NDArray, options: LayerFitOptions = {}): LayerFitResult {
    return fitLayer(this, data, options);
  }

  /**
   * The hidden units' mean activations for a whole data set: the features a deep network's next layer sees.
   * @example da.transform(test.x).shape // [10000, 500]
   */
  transform(data: NDArray): NDArray {
    return mapRows((x) => this.encode(x))(data);
  }

  /** Saves the layer (atomically) as a model file of its kind: the configuration and W, hbias, vbias. */
  save(path: string, meta: Record<string, unknown> = {}): void {
    saveModelFile(path, { kind: this.kind, config: { ...this.config }, tensors: layerTensors(this), meta });
  }
}

/** The tensors a layer saves, by name: the same three for autoencoders and RBMs. */
export function layerTensors(layer: UnsupervisedLayer, prefix = ''): Record<string, NDArray> {
  return { [`${prefix}W`]: layer.W.get(), [`${prefix}hbias`]: layer.hbias.get(), [`${prefix}vbias`]: layer.vbias.get() };
}

/** Loads a layer saved by its `save`, checking the kind and the tensors' shapes against the configuration. */
export function loadLayer<C extends { visible: number; hidden: number }, L extends UnsupervisedLayer>(
  path: string, kind: string, build: (config: C) => L,
): L {
  const file = loadModelFile(path, kind);
  const config = file.config as unknown as C;
  expectShapes(path, file.tensors, {
    W: [config.visible, config.hidden],
    hbias: [config.hidden],
    vbias: [config.visible],
  });
  const layer = build(config);
  for (const name of ['W', 'hbias', 'vbias'] as const) layer[name].set(file.tensors[name]);
  return layer;
}

/** The parameters of a layer: given ones (shared with a deep network's sigmoid layer) or fresh ones. */
export function layerParams(
  visible: number,
  hidden: number,
  seed: number,
  given: Partial<LayerParams> = {},
): LayerParams {
  // The tutorials' initialisation for sigmoid units, the same as a sigmoid HiddenLayer's.
  const W = given.W ?? shared(uniformWeights(new RandomStreams(seed), [visible, hidden], glorotBound(visible, hidden, 'sigmoid')), 'W');
  const hbias = given.hbias ?? shared(new NDArray('float32', [hidden]), 'hbias');
  const vbias = given.vbias ?? shared(new NDArray('float32', [visible]), 'vbias');
  const expected: [SharedVariable, number[]][] = [[W, [visible, hidden]], [hbias, [hidden]], [vbias, [visible]]];
  for (const [v, shape] of expected) {
    const actual = v.value.shape;
    if (actual.length !== shape.length || actual.some((d, i) => d !== shape[i])) {
      throw new Error(`layer ${visible}→${hidden}: ${v.name ?? 'parameter'} is ${formatShape(actual)}, expected ${formatShape(shape)}`);
    }
  }
  return { W, hbias, vbias };
}

/**
 * A function of whole data sets through `f` (x ↦ an expression of x), compiled once and run in
 * chunks of rows, so a layer's representation of 50,000 examples never needs one huge temporary.
 * @example const hidden = mapRows((x) => layer.encode(x))(train.x) // float32[50000, 500]
 */
export function mapRows(f: (x: Variable) => Variable, chunk = 2000): (data: NDArray) => NDArray {
  const x = matrix('x');
  const compiled = fn([x], f(x));
  return (data) => {
    if (data.rank !== 2 || data.dtype !== 'float32') {
      throw new Error(`mapRows: data is ${data.dtype}${formatShape(data.shape)}; it must be a float32 matrix of examples`);
    }
    const [rows, cols] = data.shape;
    let out: NDArray | undefined;
    for (let start = 0; start < rows; start += chunk) {
      const end = Math.min(rows, start + chunk);
      const part = compiled(new NDArray('float32', [end - start, cols], data.data.subarray(start * cols, end * cols) as Float32Array)) as NDArray;
      out ??= new NDArray('float32', [rows, part.shape[1]]);
      out.data.set(part.data, start * part.shape[1]);
    }
    return out ?? new NDArray('float32', [0, 0]);
  };
}
