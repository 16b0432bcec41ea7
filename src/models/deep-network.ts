// Deep sigmoid networks with optional greedy pre-training (Unsupervised Deep Learning, ch. 3-4, the
// DNN class): each hidden layer h_i = s(h_{i−1} W_i + b_i) has an unsupervised twin (a denoising
// autoencoder or an RBM) holding the same W_i and b_i plus its own visible bias; pre-training trains
// the twins layer by layer, fine-tuning trains the whole net on NLL of softmax(h_L W + b) as an MLP.
// Stacked denoising autoencoders (stacked-autoencoder.ts) and DBNs (dbn.ts) are this with the
// tutorials' settings; pretraining 'none' is the randomly initialized net they are compared with.
import type { NDArray } from '../ndarray/index.js';
import { RandomStreams } from '../random/index.js';
import { HiddenLayer, LogisticLayer, type Layer } from '../nn/index.js';
import { Autoencoder } from './autoencoder.js';
import { Classifier, type ClassifierConfig } from './classifier.js';
import { configReader } from './config-reader.js';
import type { ModelFile } from './model-store.js';
import { Rbm } from './rbm.js';
import type { UnsupervisedLayer } from './unsupervised-layer.js';

export const PRETRAININGS = ['autoencoder', 'rbm', 'none'] as const;
export type Pretraining = (typeof PRETRAININGS)[number];

export interface DeepNetworkConfig extends ClassifierConfig {
  /** Units per sigmoid hidden layer, input side first. */
  hidden: number[];
  pretraining: Pretraining;
  /** Denoising autoencoders: the corruption level of each layer (one value for all). */
  corruption: number[];
  /** RBMs: Gibbs steps per CD-k update. */
  k: number;
}

/** The tensor name of a pre-training layer's visible bias, the one parameter fine-tuning never uses. */
const visibleBiasName = (i: number) => `pretraining${i}.vbias`;

/**
 * A deep sigmoid network, pre-trained by autoencoders, RBMs or not at all.
 * @example const dnn = new DeepNetwork({ imageShape: [28, 28], classes: 10, hidden: [1000, 750, 500],
 *   pretraining: 'autoencoder', corruption: [0], k: 1 });
 * pretrainNetwork(dnn, train, { epochs: 1, batchSize: 100, learningRate: 0.001, momentum: 0.99 }); // train/pretrain.ts
 */
export class DeepNetwork<C extends DeepNetworkConfig = DeepNetworkConfig> extends Classifier<C> {
  readonly kind: string = 'dnn';
  protected readonly layers: Layer[];
  readonly hiddenLayers: HiddenLayer[];
  /** The unsupervised twin of each hidden layer (none without pre-training): what pre-training trains. */
  readonly pretrainingLayers: UnsupervisedLayer[];

  constructor(config: C, seed = 1234) {
    super(config);
    const { hidden, corruption } = config;
    if (!hidden.length) throw new Error(`${this.constructor.name}: needs at least one hidden layer`);
    if (config.pretraining === 'autoencoder' && corruption.length !== 1 && corruption.length !== hidden.length) {
      throw new Error(`${this.constructor.name}: ${corruption.length} corruption levels for ${hidden.length} hidden layers; give one, or one per layer`);
    }
    const rng = new RandomStreams(seed);
    const sizes = [this.inputSize, ...hidden];
    this.hiddenLayers = hidden.map((units, i) => new HiddenLayer(rng, sizes[i], units, { activation: 'sigmoid', name: `hidden${i}` }));
    this.layers = [...this.hiddenLayers, new LogisticLayer(sizes[sizes.length - 1], config.classes, { name: 'output' })];
    this.pretrainingLayers = config.pretraining === 'none' ? [] : this.hiddenLayers.map((layer, i) => this.pretrainingLayer(i, layer, seed));
  }

  /** The unsupervised twin of hidden layer i, sharing its W and b. */
  protected pretrainingLayer(i: number, layer: HiddenLayer, seed: number): UnsupervisedLayer {
    const [visible, hidden] = layer.W.value.shape;
    const shared = { W: layer.W, hbias: layer.b };
    if (this.config.pretraining === 'rbm') return new Rbm({ visible, hidden, k: this.config.k, seed }, shared, i);
    const { corruption } = this.config;
    return new Autoencoder(
      { visible, hidden, corruption: corruption[corruption.length === 1 ? 0 : i], seed }, shared, i,
    );
  }

  /**
   * What pre-training layer i sees, given the codes of the layer below (the images for layer 0) and the
   * labels; a DBN whose top RBM is joined to the labels appends them.
   */
  pretrainingInput(_i: number, codes: NDArray, _labels: NDArray): NDArray {
    return codes;
  }

  /** Called once pre-training is over (a DBN copies its joined top RBM into the last hidden layer). */
  afterPretraining(): void {}

  override toModelFile(meta: Record<string, unknown> = {}): ModelFile {
    const file = super.toModelFile(meta);
    this.pretrainingLayers.forEach((layer, i) => (file.tensors[visibleBiasName(i)] = layer.vbias.value));
    return file;
  }

  /** Sets every tensor of a model file: the classifier's parameters, visible biases and any extras. */
  restore(path: string, tensors: Record<string, NDArray>): this {
    const params = new Set(this.params.map((p) => p.name!));
    const rest = Object.fromEntries(Object.entries(tensors).filter(([name]) => !params.has(name)));
    this.loadTensors(path, Object.fromEntries(Object.entries(tensors).filter(([name]) => params.has(name))));
    this.pretrainingLayers.forEach((layer, i) => {
      const vbias = rest[visibleBiasName(i)];
      if (!vbias) throw new Error(`${path}: has no tensor ${visibleBiasName(i)}; it was saved from another architecture`);
      layer.vbias.set(vbias);
      delete rest[visibleBiasName(i)];
    });
    this.restoreExtras(path, rest);
    return this;
  }

  /** Tensors beyond the classifier's and the visible biases: none here (a DBN keeps its generative weights). */
  protected restoreExtras(path: string, tensors: Record<string, NDArray>): void {
    const extra = Object.keys(tensors);
    if (extra.length) throw new Error(`${path}: holds tensor ${extra[0]}, which this ${this.kind} architecture lacks; it was saved from another architecture`);
  }

  /** Reads the configuration every deep network has, with errors naming the file and the field. */
  protected static readConfig(file: ModelFile, path: string): DeepNetworkConfig {
    const read = configReader(path, file.config);
    const corruption = file.config.corruption;
    if (!Array.isArray(corruption) || !corruption.every((c) => typeof c === 'number' && c >= 0 && c < 1)) {
      throw new Error(`${path}: configuration field corruption is ${JSON.stringify(corruption)}; expected a list of levels in [0, 1)`);
    }
    return {
      imageShape: read.pair('imageShape'), classes: read.int('classes'), hidden: read.intList('hidden'),
      pretraining: read.oneOf('pretraining', PRETRAININGS), corruption: corruption as number[], k: read.int('k'),
    };
  }

  /** Rebuilds a saved deep network, checking its configuration and tensors. */
  static fromModelFile(file: ModelFile, path: string): DeepNetwork {
    return new DeepNetwork(DeepNetwork.readConfig(file, path)).restore(path, file.tensors);
  }

  /** A saved dnn model. @example const model = DeepNetwork.load('runs/dnn/model.nbm'); */
  static load(path: string): DeepNetwork {
    return Classifier.loadAs(path, 'dnn', DeepNetwork.fromModelFile);
  }
}
