// Deep belief networks (Deep Learning Tutorial, ch. 10; Hinton et al. 2006; the slides' digit model):
//   P(x, h¹, …, hˡ) = (Π_{k=0}^{l−2} P(hᵏ | hᵏ⁺¹)) · P(hˡ⁻¹, hˡ)                          (eq. 10.1)
// a stack of RBMs trained greedily, each on the mean activations of the one below, then fine-tuned
// as a sigmoid MLP with a logistic layer on top. With `joinLabels` the top RBM's visible layer is
// [hˡ⁻¹, one-hot label], so the top two layers form an associative memory of codes and labels:
// clamping a label and Gibbs sampling there, then a top-down pass, draws digits of that class.
// Published on MNIST with three layers of 1000 units: 1.34% test error (1.27% validation).
import { NDArray } from '../ndarray/index.js';
import type { HiddenLayer } from '../nn/index.js';
import { Classifier } from './classifier.js';
import { DeepNetwork, type DeepNetworkConfig } from './deep-network.js';
import type { ModelFile } from './model-store.js';
import { GenerativeDbn, type GenerateOptions, type GenerativeDbnConfig } from './generative-dbn.js';
import { Rbm } from './rbm.js';
import type { UnsupervisedLayer } from './unsupervised-layer.js';

export interface DbnConfig extends DeepNetworkConfig {
  pretraining: 'rbm';
  /** Join the top RBM to one-hot label units (the digit model that generates a chosen class). */
  joinLabels: boolean;
  /**
   * Train the joined top RBM by persistent CD (the lower RBMs keep CD-k). CD-1 leaves the top RBM a
   * poor sampler, drawing the same grey blob for every label; PCD's chains carve out its spurious modes
   * (Tieleman 2008), and the clamped chains then draw digits. True unless set to false.
   */
  persistentTop?: boolean;
  /**
   * The joined label units form one softmax unit, so the top RBM's own states hold exactly one label
   * (Hinton et al. 2006). True unless set to false; models saved before it existed have binary units.
   */
  softmaxLabels?: boolean;
}

/** codes with the one-hot labels appended as extra columns: the joined top RBM's visible units. */
export function appendOneHot(codes: NDArray, labels: NDArray, classes: number): NDArray {
  const [n, d] = codes.shape;
  if (labels.shape[0] !== n) throw new Error(`appendOneHot: ${n} codes but ${labels.shape[0]} labels`);
  const out = new NDArray('float32', [n, d + classes]);
  for (let r = 0; r < n; r++) {
    out.data.set(codes.data.subarray(r * d, (r + 1) * d), r * (d + classes));
    out.data[r * (d + classes) + d + labels.data[r]] = 1;
  }
  return out;
}

/**
 * A DBN: pre-train with pretrainNetwork (train/pretrain.ts), fine-tune with fit, draw digits
 * with generate.
 * @example const dbn = new Dbn({ imageShape: [28, 28], classes: 10, hidden: [1000, 1000, 1000],
 *   pretraining: 'rbm', corruption: [0], k: 1, joinLabels: true });
 */
export class Dbn extends DeepNetwork<DbnConfig> {
  override readonly kind = 'dbn';
  /**
   * The generative model: the RBMs as pre-training left them (fine-tuning changes the weights they share
   * with the classifier), with recognition weights of their own once up-down fine-tuning unties them.
   */
  private generativeModel: GenerativeDbn | undefined;

  /** Seeds the generative model's random streams (up-down fine-tuning) as well as the weights. */
  private readonly seed: number;

  constructor(config: DbnConfig, seed = 1234) {
    super({ ...config, softmaxLabels: config.softmaxLabels ?? true }, seed);
    this.seed = seed;
  }

  private get top(): number {
    return this.config.hidden.length - 1;
  }

  protected override pretrainingLayer(i: number, layer: HiddenLayer, seed: number): UnsupervisedLayer {
    if (!this.config.joinLabels || i !== this.top) return super.pretrainingLayer(i, layer, seed);
    // The joined top RBM has its own weights: its visible layer is wider than the hidden layer's input.
    const [visible, hidden] = layer.W.value.shape;
    const { classes, k, persistentTop, softmaxLabels } = this.config;
    return new Rbm({
      visible: visible + classes, hidden, k, persistent: persistentTop ?? true,
      softmaxUnits: softmaxLabels ? classes : 0, seed,
    }, {}, i);
  }

  override pretrainingInput(i: number, codes: NDArray, labels: NDArray): NDArray {
    return this.config.joinLabels && i === this.top ? appendOneHot(codes, labels, this.config.classes) : codes;
  }

  /**
   * Keeps the generative model, and starts the top hidden layer from the joined RBM's code weights with
   * the label units at their neutral state 1/classes (Hinton et al.'s recognition from a neutral label).
   */
  override afterPretraining(): void {
    if (this.config.joinLabels) {
      const rbm = this.pretrainingLayers[this.top];
      const layer = this.hiddenLayers[this.top];
      const [inputs, units] = layer.W.value.shape;
      const W = rbm.W.value;
      const b = rbm.hbias.get();
      for (let c = 0; c < this.config.classes; c++) {
        for (let j = 0; j < units; j++) b.data[j] += W.data[(inputs + c) * units + j] / this.config.classes;
      }
      layer.W.set(new NDArray('float32', [inputs, units], W.data.slice(0, inputs * units) as Float32Array));
      layer.b.set(b);
    }
    this.generativeModel = GenerativeDbn.fromRbms(this.pretrainingLayers as Rbm[], this.generativeConfig());
  }

  private generativeConfig(): GenerativeDbnConfig {
    const { joinLabels, classes, softmaxLabels, hidden } = this.config;
    return {
      sizes: [this.inputSize, ...hidden],
      classes: joinLabels ? classes : 0,
      softmaxLabels: softmaxLabels === true,
      seed: this.seed,
    };
  }

  /** The generative model (for up-down fine-tuning and sampling); there once pre-training is done. */
  get generative(): GenerativeDbn {
    if (!this.generativeModel) throw new Error('this DBN has not been pre-trained, so it has no generative model');
    return this.generativeModel;
  }

  override toModelFile(meta: Record<string, unknown> = {}): ModelFile {
    const file = super.toModelFile(meta);
    Object.assign(file.tensors, this.generativeModel?.tensors() ?? {});
    return file;
  }

  protected override restoreExtras(path: string, tensors: Record<string, NDArray>): void {
    const { required, optional } = GenerativeDbn.tensorNames(this.pretrainingLayers.length);
    const present = required.filter((n) => n in tensors);
    if (present.length && present.length !== required.length) throw new Error(`${path}: has only ${present.length} of the ${required.length} generative tensors`);
    this.generativeModel = present.length
      ? GenerativeDbn.fromTensors(tensors, this.generativeConfig(), path)
      : undefined;
    const names = [...required, ...optional];
    super.restoreExtras(path, Object.fromEntries(Object.entries(tensors).filter(([n]) => !names.includes(n))));
  }

  /** Digits of the chosen labels drawn from the generative model (see GenerativeDbn.generate). */
  generate(options: GenerateOptions = {}): NDArray {
    return this.generative.generate(options);
  }

  static override fromModelFile(file: ModelFile, path: string): Dbn {
    const config = DeepNetwork.readConfig(file, path);
    if (config.pretraining !== 'rbm') throw new Error(`${path}: a dbn model is pre-trained by RBMs, not ${config.pretraining}`);
    return new Dbn({ ...config, pretraining: 'rbm', joinLabels: file.config.joinLabels === true, persistentTop: file.config.persistentTop !== false, softmaxLabels: file.config.softmaxLabels === true }).restore(path, file.tensors);
  }

  /** A saved dbn model. @example const model = Dbn.load('runs/dbn/model.nbm'); */
  static override load(path: string): Dbn {
    return Classifier.loadAs(path, 'dbn', Dbn.fromModelFile);
  }
}
