// A DBN as a generative model (Hinton, Osindero & Teh 2006; the slides' digit model): below the top,
// directed sigmoid layers with separate recognition (bottom-up) and generative (top-down) weights;
// at the top, an RBM over the last code and, when joined, one softmax unit for the label:
//   P(x, h¹, …, hˡ) = Π_{i<l−1} P(hⁱ | hⁱ⁺¹) · P(hˡ⁻¹, label, hˡ)
// Greedy pre-training leaves both sets of weights tied (the RBMs' W); up-down fine-tuning (the
// contrastive wake-sleep algorithm, the paper's appendix B) unties them:
//   wake:  a stochastic up-pass with the recognition weights; the generative weights learn to
//          reconstruct each layer from the one above (delta rule, the states held constant);
//   top:   CD-k in the associative memory from the wake states and the true label;
//   sleep: a stochastic down-pass from the chain's end with the generative weights; the recognition
//          weights learn to recover each layer from the one below.
// Each delta rule is the gradient of a cross-entropy whose targets are held constant, so one cost
// differentiated once gives every update.
import { NDArray } from '../ndarray/index.js';
import type { SharedVariable, Variable } from '../graph/variable.js';
import { shared } from '../graph/constructors.js';
import { concatenate, mean, sigmoid, sigmoidCrossentropyWithLogits, slice, sum } from '../ops/index.js';
import { RandomStreams } from '../random/index.js';
import { fn } from '../compile/index.js';
import type { Objective, TrainableLayer } from '../fit/index.js';
import { expectShapes } from './model-store.js';
import { Rbm } from './rbm.js';

export interface GenerativeDbnConfig {
  /** Units per layer, the image first: [784, 1000, 1000, 1000]. */
  sizes: number[];
  /** Label units joined to the top RBM (0: none). */
  classes: number;
  /** The label units form one softmax unit (false: independent binary units, as older models). */
  softmaxLabels: boolean;
  seed: number;
}

export interface GenerateOptions {
  /** One chain per entry, clamped to that label (needs joined labels); or the number of free chains. */
  labels?: readonly number[];
  chains?: number;
  /** Pictures per chain: the first from the initial state, then one after every `gibbsSteps` steps. */
  samples?: number;
  gibbsSteps?: number;
  seed?: number;
}

/** Bottom-up weights of a layer below the top: hⁱ⁺¹ ~ sigm(hⁱ W + b). */
interface Recognition {
  W: SharedVariable;
  hbias: SharedVariable;
}

const generativeName = (i: number, param: string) => `generative${i}.${param}`;
const recognitionName = (i: number, param: string) => `recognition${i}.${param}`;

/** Mean over rows of the cross-entropy, summed over units, between `target` and sigm(logits). */
const crossEntropy = (logits: Variable, target: Variable) =>
  mean(sum(sigmoidCrossentropyWithLogits(logits, target), 1));

/**
 * The generative half of a DBN: trained by up-down fine-tuning, drawing digits of a chosen class.
 * @example new LayerTrainer(dbn.generative.upDown(3), appendOneHot(train.x, train.y, 10),
 *   { batchSize: 100, learningRate: 0.01 })
 * dbn.generative.generate({ labels: [0, 1, 2], samples: 10 })
 */
export class GenerativeDbn {
  readonly config: GenerativeDbnConfig;
  /** The RBMs of greedy pre-training: below the top, only W (used as Wᵀ, top-down) and vbias generate. */
  readonly rbms: Rbm[];
  readonly recognition: Recognition[];
  readonly params: SharedVariable[];

  private constructor(config: GenerativeDbnConfig, rbms: Rbm[], recognition: Recognition[]) {
    this.config = config;
    this.rbms = rbms;
    this.recognition = recognition;
    this.params = [
      ...rbms.flatMap((r, i) => (i === this.top ? [r.W, r.hbias, r.vbias] : [r.W, r.vbias])),
      ...recognition.flatMap((r) => [r.W, r.hbias]),
    ];
  }

  private get top(): number {
    return this.rbms.length - 1;
  }

  private get imageSize(): number {
    return this.config.sizes[0];
  }

  /** Columns of a training row: the image, then the one-hot label when joined. */
  get visible(): number {
    return this.imageSize + this.config.classes;
  }

  /**
   * The model from saved tensors: generative{i}.W/hbias/vbias for every RBM, and recognition{i}.W/hbias
   * below the top (absent before up-down fine-tuning: the recognition weights are then the RBMs').
   */
  static fromTensors(tensors: Record<string, NDArray>, config: GenerativeDbnConfig, path = 'model'): GenerativeDbn {
    const { sizes, classes, softmaxLabels, seed } = config;
    const layers = sizes.length - 1;
    const rbms = Array.from({ length: layers }, (_, i) => {
      const visible = sizes[i] + (i === layers - 1 ? classes : 0);
      const names = { W: generativeName(i, 'W'), hbias: generativeName(i, 'hbias'), vbias: generativeName(i, 'vbias') };
      expectShapes(path, tensors, {
        [names.W]: [visible, sizes[i + 1]],
        [names.hbias]: [sizes[i + 1]],
        [names.vbias]: [visible],
      });
      const params = {
        W: shared(tensors[names.W]),
        hbias: shared(tensors[names.hbias]),
        vbias: shared(tensors[names.vbias]),
      };
      const softmaxUnits = i === layers - 1 && softmaxLabels ? classes : 0;
      return new Rbm({ visible, hidden: sizes[i + 1], softmaxUnits, seed }, params, i);
    });
    const recognition = rbms.slice(0, layers - 1).map((rbm, i) => {
      const W = tensors[recognitionName(i, 'W')];
      const hbias = tensors[recognitionName(i, 'hbias')];
      if (!W !== !hbias) throw new Error(`${path}: has only one of ${recognitionName(i, 'W')} and ${recognitionName(i, 'hbias')}`);
      if (W) expectShapes(path, tensors, { [recognitionName(i, 'W')]: rbm.W.value.shape, [recognitionName(i, 'hbias')]: rbm.hbias.value.shape });
      return { W: shared(W ?? rbm.W.get()), hbias: shared(hbias ?? rbm.hbias.get()) };
    });
    return new GenerativeDbn(config, rbms, recognition);
  }

  /** The model of freshly pre-trained RBMs (copies of their parameters; recognition weights tied). */
  static fromRbms(rbms: readonly Rbm[], config: GenerativeDbnConfig): GenerativeDbn {
    const tensors = Object.fromEntries(rbms.flatMap((rbm, i) => (['W', 'hbias', 'vbias'] as const).map((p) => [generativeName(i, p), rbm[p].get()])));
    return GenerativeDbn.fromTensors(tensors, config);
  }

  /** Every tensor, by its model-file name. */
  tensors(): Record<string, NDArray> {
    const out: Record<string, NDArray> = {};
    this.rbms.forEach((rbm, i) => {
      for (const param of ['W', 'hbias', 'vbias'] as const) out[generativeName(i, param)] = rbm[param].get();
    });
    this.recognition.forEach((r, i) => {
      out[recognitionName(i, 'W')] = r.W.get();
      out[recognitionName(i, 'hbias')] = r.hbias.get();
    });
    return out;
  }

  /** The names fromTensors reads: what a model file holds besides the classifier's tensors. */
  static tensorNames(layers: number): { required: string[]; optional: string[] } {
    const required = Array.from({ length: layers }, (_, i) => ['W', 'hbias', 'vbias'].map((p) => generativeName(i, p))).flat();
    const optional = Array.from({ length: layers - 1 }, (_, i) => ['W', 'hbias'].map((p) => recognitionName(i, p))).flat();
    return { required, optional };
  }

  /** Layer i+1's probabilities given layer i, bottom-up. */
  private up(i: number, below: Variable): Variable {
    return sigmoid(below.dot(this.recognition[i].W).add(this.recognition[i].hbias));
  }

  private joinLabel(code: Variable, label: Variable | undefined): Variable {
    return label ? concatenate([code, label], 1) : code;
  }

  private codePart(topVisible: Variable): Variable {
    return this.config.classes ? topVisible.at(':', slice(0, this.config.sizes[this.top])) : topVisible;
  }

  /** What up-down fine-tuning reports each epoch: the wake phase's reconstruction of the images. */
  get upDownMonitorName(): string {
    return this.top > 0 ? 'wake reconstruction cross-entropy' : 'free-energy gap';
  }

  /**
   * Up-down fine-tuning as a layer to train (fit/layer-trainer.ts) on rows of [image, one-hot label],
   * with `k` Gibbs steps in the top RBM per update.
   */
  upDown(k: number, stage = 0): TrainableLayer {
    if (!Number.isInteger(k) || k < 1) throw new Error(`up-down: k ${k} must be a positive integer`);
    return { kind: 'up-down', visible: this.visible, params: this.params, objective: (data) => this.upDownObjective(data, k, this.config.seed + 104729 * (stage + 1)) };
  }

  /**
   * The RBMs again, sharing their parameters but drawing random numbers of their own from `seed`: each
   * compiled step (a stage of up-down, a sampling run) has its own streams, whatever was built before.
   */
  private samplers(seed: number): Rbm[] {
    return this.rbms.map((rbm, i) => new Rbm(
      { ...rbm.config, seed: seed + i },
      { W: rbm.W, hbias: rbm.hbias, vbias: rbm.vbias },
      i,
    ));
  }

  /**
   * One up-down update's cost (Hinton et al. 2006, appendix B); the monitor is the wake phase's
   * reconstruction cross-entropy of the images.
   */
  private upDownObjective(data: Variable, k: number, seed: number): Objective {
    const { classes } = this.config;
    const images = classes ? data.at(':', slice(0, this.imageSize)) : data;
    const labels = classes ? data.at(':', slice(this.imageSize, null)) : undefined;
    const rng = new RandomStreams(seed);
    const rbms = this.samplers(seed);
    const top = rbms[this.top];

    // Wake: a stochastic up-pass; the generative weights learn to reconstruct each layer from the next.
    const wake: Variable[] = [images];
    for (let i = 0; i < this.top; i++) {
      const p = this.up(i, wake[i]);
      wake.push(rng.binomial(p.shape, 1, p));
    }
    const reconstructions = wake.slice(0, this.top).map((below, i) =>
      crossEntropy(rbms[i].sampleVisible(wake[i + 1]).preActivation, below));

    // The associative memory: CD-k from the wake code joined to the true label.
    const positive = this.joinLabel(wake[this.top], labels);
    const negative = top.gibbsFromHidden(top.sampleHidden(positive).sample, k).visible.sample;
    const topCost = mean(top.freeEnergy(positive)).sub(mean(top.freeEnergy(negative)));

    // Sleep: a stochastic down-pass from the chain's end (pixel probabilities at the bottom, as the
    // paper's); the recognition weights learn to recover each layer from the one below.
    const dream: Variable[] = [this.codePart(negative)];
    for (let i = this.top - 1; i >= 0; i--) {
      const p = rbms[i].sampleVisible(dream[0]);
      dream.unshift(i > 0 ? p.sample : p.mean);
    }
    const recognitions = dream.slice(0, this.top).map((below, i) =>
      crossEntropy(below.dot(this.recognition[i].W).add(this.recognition[i].hbias), dream[i + 1]));

    const cost = [...reconstructions, ...recognitions].reduce((a, b) => a.add(b), topCost);
    return {
      cost,
      considerConstant: [...wake.slice(1), negative, ...dream],
      monitor: reconstructions[0] ?? topCost,
      monitorName: this.upDownMonitorName,
      updates: [],
    };
  }

  /**
   * Digits drawn from the model, as the slides' Figure 9: each chain starts from an up-pass (mean
   * activations, recognition weights) of a random binary image (pixels on with probability 1/2); picture 0
   * is the top-down pass of that state, each further one follows `gibbsSteps` steps of Gibbs sampling
   * in the top RBM with the label clamped. Returns pixel means, chain by chain: [chains · samples, pixels].
   * @example const digits = model.generate({ labels: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9], samples: 10, gibbsSteps: 20 });
   */
  generate(options: GenerateOptions = {}): NDArray {
    const { classes } = this.config;
    const { labels, samples = 10, gibbsSteps = 20, seed = 1234 } = options;
    if (labels && !classes) throw new Error('generate: this DBN\'s top RBM is not joined to the labels, so no label can be clamped; train it with --join-labels');
    if (classes && !labels) throw new Error('generate: this DBN generates a chosen class; give the labels to clamp');
    const chains = labels?.length ?? options.chains ?? 10;
    const bad = labels?.find((l) => !Number.isInteger(l) || l < 0 || l >= classes);
    if (bad !== undefined) throw new Error(`generate: label ${bad} is not one of the ${classes} classes`);

    const rng = new RandomStreams(seed);
    const top = this.samplers(seed)[this.top];
    const clamped = labels ? shared(new NDArray('float32', [chains, classes], Float32Array.from({ length: chains * classes }, (_, k) => (labels[Math.floor(k / classes)] === k % classes ? 1 : 0)))) : undefined;
    const down = (code: Variable) =>
      this.rbms.slice(0, this.top).reduceRight((h, rbm) => rbm.sampleVisible(h).mean, code);

    const image = rng.binomial([chains, this.imageSize], 1, 0.5);
    const up = this.recognition.reduce((h, _, i) => this.up(i, h), image);
    const state = shared(fn([], rng.binomial(up.shape, 1, up))() as NDArray, 'dbnTopState');
    const picture = fn([], down(state));
    let visible: Variable = state;
    for (let s = 0; s < gibbsSteps; s++) {
      visible = this.codePart(top.sampleVisible(top.sampleHidden(this.joinLabel(visible, clamped)).sample).sample);
    }
    const advance = fn([], [], { updates: [[state, visible]] });

    const out = new NDArray('float32', [chains * samples, this.imageSize]);
    for (let s = 0; s < samples; s++) {
      if (s > 0) advance();
      const pixels = picture() as NDArray;
      for (let c = 0; c < chains; c++) {
        out.data.set(
          pixels.data.subarray(c * this.imageSize, (c + 1) * this.imageSize),
          (c * samples + s) * this.imageSize,
        );
      }
    }
    return out;
  }
}
