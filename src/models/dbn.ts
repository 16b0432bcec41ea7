// Deep belief networks (Deep Learning Tutorial, ch. 10; Hinton et al. 2006; the slides' digit model):
//   P(x, h¹, …, hˡ) = (Π_{k=0}^{l−2} P(hᵏ | hᵏ⁺¹)) · P(hˡ⁻¹, hˡ)                          (eq. 10.1)
// a stack of RBMs trained greedily, each on the mean activations of the one below, then fine-tuned
// as a sigmoid MLP with a logistic layer on top. With `joinLabels` the top RBM's visible layer is
// [hˡ⁻¹, one-hot label], so the top two layers form an associative memory of codes and labels:
// clamping a label and Gibbs sampling there, then a top-down pass, draws digits of that class.
// Published on MNIST with three layers of 1000 units: 1.34% test error (1.27% validation).
import { NDArray } from '../ndarray/index.js';
import type { Variable } from '../graph/variable.js';
import { shared } from '../graph/constructors.js';
import { concatenate, slice } from '../ops/index.js';
import { RandomStreams } from '../random/index.js';
import { fn } from '../compile/index.js';
import type { HiddenLayer } from '../nn/index.js';
import { Classifier } from './classifier.js';
import { DeepNetwork, type DeepNetworkConfig } from './deep-network.js';
import type { ModelFile } from './model-file.js';
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
}

export interface GenerateOptions {
  /** One chain per entry, clamped to that label (needs joinLabels); or the number of free chains. */
  labels?: readonly number[];
  chains?: number;
  /** Pictures per chain: the first from the initial state, then one after every `gibbsSteps` steps. */
  samples?: number;
  gibbsSteps?: number;
  seed?: number;
}

const generativeName = (i: number, param: string) => `generative${i}.${param}`;

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
 * @example const dbn = new Dbn({ imageShape: [28, 28], classes: 10, hidden: [1000, 1000, 1000], pretraining: 'rbm', corruption: [0], k: 1, joinLabels: true });
 */
export class Dbn extends DeepNetwork<DbnConfig> {
  override readonly kind = 'dbn';
  /**
   * The RBMs' parameters as pre-training left them: the generative model. Fine-tuning changes the
   * weights the RBMs share with the classifier, so generation reads this copy.
   */
  private generative: Record<string, NDArray> | undefined;

  private get top(): number {
    return this.config.hidden.length - 1;
  }

  protected override pretrainingLayer(i: number, layer: HiddenLayer, seed: number): UnsupervisedLayer {
    if (!this.config.joinLabels || i !== this.top) return super.pretrainingLayer(i, layer, seed);
    // The joined top RBM has its own weights: its visible layer is wider than the hidden layer's input.
    const [visible, hidden] = layer.W.value.shape;
    return new Rbm({ visible: visible + this.config.classes, hidden, k: this.config.k, persistent: this.config.persistentTop ?? true, seed }, {}, i);
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
    this.generative = {};
    this.pretrainingLayers.forEach((rbm, i) => {
      for (const param of ['W', 'hbias', 'vbias'] as const) this.generative![generativeName(i, param)] = rbm[param].get();
    });
  }

  override toModelFile(meta: Record<string, unknown> = {}): ModelFile {
    const file = super.toModelFile(meta);
    Object.assign(file.tensors, this.generative ?? {});
    return file;
  }

  protected override restoreExtras(path: string, tensors: Record<string, NDArray>): void {
    const names = this.pretrainingLayers.flatMap((_, i) => ['W', 'hbias', 'vbias'].map((p) => generativeName(i, p)));
    const present = names.filter((n) => n in tensors);
    if (present.length && present.length !== names.length) throw new Error(`${path}: has only ${present.length} of the ${names.length} generative tensors`);
    this.generative = present.length ? Object.fromEntries(names.map((n) => [n, tensors[n]])) : undefined;
    super.restoreExtras(path, Object.fromEntries(Object.entries(tensors).filter(([n]) => !names.includes(n))));
  }

  /**
   * Digits drawn from the generative model, as the slides' Figure 9: each chain starts from an up-pass
   * of a random binary image (pixels on with probability 1/2); picture 0 is the top-down pass of that
   * state, each further one follows `gibbsSteps` steps of Gibbs sampling in the top RBM with the
   * label units clamped. Returns the pictures' pixel means, chain by chain: [chains · samples, pixels].
   * @example const digits = dbn.generate({ labels: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9], samples: 10, gibbsSteps: 20 });
   */
  generate(options: GenerateOptions = {}): NDArray {
    if (!this.generative) throw new Error('generate: this DBN has not been pre-trained (no generative weights)');
    const { labels, samples = 10, gibbsSteps = 20, seed = 1234 } = options;
    if (labels && !this.config.joinLabels) throw new Error('generate: this DBN\'s top RBM is not joined to the labels, so no label can be clamped; train it with --join-labels');
    if (this.config.joinLabels && !labels) throw new Error('generate: this DBN generates a chosen class; give the labels to clamp');
    const chains = labels?.length ?? options.chains ?? 10;
    const bad = labels?.find((l) => !Number.isInteger(l) || l < 0 || l >= this.config.classes);
    if (bad !== undefined) throw new Error(`generate: label ${bad} is not one of the ${this.config.classes} classes`);

    const rbms = this.pretrainingLayers.map((layer, i) => {
      const params = { W: shared(this.generative![generativeName(i, 'W')]), hbias: shared(this.generative![generativeName(i, 'hbias')]), vbias: shared(this.generative![generativeName(i, 'vbias')]) };
      return new Rbm({ visible: layer.visible, hidden: layer.hidden, k: 1, seed: seed + i }, params, i);
    });
    const top = rbms[this.top];
    const codeSize = this.top === 0 ? this.inputSize : this.config.hidden[this.top - 1];
    const clamped = labels ? shared(new NDArray('float32', [chains, this.config.classes], Float32Array.from({ length: chains * this.config.classes }, (_, k) => (labels[Math.floor(k / this.config.classes)] === k % this.config.classes ? 1 : 0)))) : undefined;
    const topVisible = (codes: Variable) => (clamped ? concatenate([codes, clamped], 1) : codes);
    const codePart = (v: Variable) => (clamped ? v.at(':', slice(0, codeSize)) : v);
    const down = (codes: Variable) => rbms.slice(0, this.top).reduceRight((h, rbm) => rbm.sampleVisible(h).mean, codes);

    // The initial state: an up-pass (mean activations) from random binary images, sampled at the top.
    const rng = new RandomStreams(seed);
    const image = rng.binomial([chains, this.inputSize], 1, 0.5);
    const up = rbms.slice(0, this.top).reduce((h, rbm) => rbm.encode(h), image);
    const state = shared(fn([], rng.binomial(up.shape, 1, up))() as NDArray, 'dbnTopState');
    const picture = fn([], down(state));
    let visible: Variable = state;
    for (let s = 0; s < gibbsSteps; s++) visible = codePart(top.sampleVisible(top.sampleHidden(topVisible(visible)).sample).sample);
    const advance = fn([], [], { updates: [[state, visible]] });

    const out = new NDArray('float32', [chains * samples, this.inputSize]);
    for (let s = 0; s < samples; s++) {
      if (s > 0) advance();
      const pixels = picture() as NDArray;
      for (let c = 0; c < chains; c++) out.data.set(pixels.data.subarray(c * this.inputSize, (c + 1) * this.inputSize), (c * samples + s) * this.inputSize);
    }
    return out;
  }

  static override fromModelFile(file: ModelFile, path: string): Dbn {
    const config = DeepNetwork.readConfig(file, path);
    if (config.pretraining !== 'rbm') throw new Error(`${path}: a dbn model is pre-trained by RBMs, not ${config.pretraining}`);
    return new Dbn({ ...config, pretraining: 'rbm', joinLabels: file.config.joinLabels === true, persistentTop: file.config.persistentTop !== false }).restore(path, file.tensors);
  }

  /** A saved dbn model. @example const model = Dbn.load('runs/dbn/model.nbm'); */
  static override load(path: string): Dbn {
    return Classifier.loadAs(path, 'dbn', Dbn.fromModelFile);
  }
}
