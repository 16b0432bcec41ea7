// The Elman network of the ATIS slot-filling tutorial ("Recurrent Neural Networks with Word Embeddings",
// rnnslu.py): each word is seen through a window of `window` word embeddings, x_t of [window * embedding];
//   h_t = sigmoid(x_t Wx + h_{t-1} Wh + bh),   s_t = softmax(h_t W + b),
// h_0 learned; trained one sentence at a time by SGD on the sentence's mean negative log-likelihood,
// every embedding row scaled back to unit length after each update. The dictionaries travel with the model.
import { NDArray } from '../ndarray/index.js';
import type { SharedVariable, Variable } from '../graph/variable.js';
import { imatrix, ivector, scalar, shared } from '../graph/constructors.js';
import { argmax, nll, sigmoid, softmax, sqrt, sum } from '../ops/index.js';
import { RandomStreams } from '../random/index.js';
import { grad } from '../grad/index.js';
import { fn, type CompiledFunction } from '../compile/index.js';
import { scan } from '../scan/index.js';
import { contextWindows, uniformWeights } from '../nn/index.js';
import type { TaggedSentence, TrainableTagger } from '../fit/index.js';
import { configReader } from './config-reader.js';
import { expectShapes, loadModelAs, saveModelFile, type ModelFile } from './model-store.js';

export interface ElmanRnnConfig {
  /** The word of each index; the embedding matrix has one row more, for the padding index -1. */
  words: readonly string[];
  /** The tag of each label index. */
  labels: readonly string[];
  /** Words per context window (odd). */
  window: number;
  /** Dimension of a word embedding. */
  embedding: number;
  hidden: number;
}

/** The tutorial's sizes: windows of 7 words, embeddings of 50, 200 hidden units; its seed 345. */
export const ELMAN_TUTORIAL = { window: 7, embedding: 50, hidden: 200, seed: 345 } as const;

/** Half-width of the tutorial's uniform initialisation of every weight matrix: 0.2 * U(-1, 1). */
const INIT_SCALE = 0.2;

/** The neighbours of a word: the nearest words by cosine of their embeddings. */
export interface Neighbour {
  word: string;
  cosine: number;
}

/**
 * An Elman network tagging each word of a sentence; `nabla train rnnslu` trains it on ATIS.
 * @example const model = new ElmanRnn({ words: atis.words, labels: atis.labels, ...ELMAN_TUTORIAL });
 * model.trainSentence(atis.train[0], 0.0971); model.tag(atis.test[0].words)
 */
export class ElmanRnn implements TrainableTagger {
  readonly kind = 'elman';
  readonly config: ElmanRnnConfig;
  /** Facts saved with the model (training run, scores); filled in by load. */
  meta: Record<string, unknown> = {};
  readonly embeddings: SharedVariable;
  readonly wx: SharedVariable;
  readonly wh: SharedVariable;
  readonly w: SharedVariable;
  readonly bh: SharedVariable;
  readonly b: SharedVariable;
  readonly h0: SharedVariable;
  private trainFn: CompiledFunction | undefined;
  private tagFn: CompiledFunction | undefined;

  constructor(config: ElmanRnnConfig, seed: number = ELMAN_TUTORIAL.seed) {
    if (!Number.isInteger(config.window) || config.window < 1 || config.window % 2 === 0) {
      throw new Error(`ElmanRnn: the window must be an odd positive integer, not ${config.window}`);
    }
    this.config = config;
    const { embedding: de, window: cs, hidden: nh } = config;
    const [ne, nc] = [config.words.length, config.labels.length];
    const rng = new RandomStreams(seed);
    const weights = (shape: number[], name: string) => shared(uniformWeights(rng, shape, INIT_SCALE), name);
    this.embeddings = weights([ne + 1, de], 'embeddings');
    this.wx = weights([de * cs, nh], 'wx');
    this.wh = weights([nh, nh], 'wh');
    this.w = weights([nh, nc], 'w');
    this.bh = shared(new NDArray('float32', [nh]), 'bh');
    this.b = shared(new NDArray('float32', [nc]), 'b');
    this.h0 = shared(new NDArray('float32', [nh]), 'h0');
  }

  get labels(): readonly string[] {
    return this.config.labels;
  }

  /** Every trainable parameter, in the tutorial's order. */
  get params(): SharedVariable[] {
    return [this.embeddings, this.wx, this.wh, this.w, this.bh, this.b, this.h0];
  }

  /**
   * Scores [n, labels] (before the softmax) of a sentence's context windows, int32 [n, window].
   * The recurrence runs in nb.scan; the input term x_t Wx + bh and the output layer are computed for all
   * words at once outside it, as products of whole matrices.
   */
  logits(windows: Variable): Variable {
    const { embedding: de, window: cs } = this.config;
    const x = this.embeddings.take(windows).reshape([-1, de * cs]);
    const input = x.dot(this.wx).add(this.bh);
    const [[h]] = scan((inputT: Variable, hPrevious: Variable) => sigmoid(inputT.add(hPrevious.dot(this.wh))), {
      sequences: [input],
      outputsInfo: [this.h0],
    });
    return h.dot(this.w).add(this.b);
  }

  /**
   * One SGD step on a sentence at `learningRate`, then every embedding row scaled to unit norm;
   * returns the sentence's mean negative log-likelihood before the step.
   * @example const cost = model.trainSentence(atis.train[0], 0.0971);
   */
  trainSentence(sentence: TaggedSentence, learningRate: number): number {
    if (!this.trainFn) {
      const [windows, y, lr] = [imatrix('windows'), ivector('labels'), scalar('lr')];
      const cost = nll(softmax(this.logits(windows)), y);
      const gradients = grad(cost, this.params);
      const updates: [SharedVariable, Variable][] = this.params.map((p, i) => [p, p.sub(gradients[i].mul(lr))]);
      // The tutorial's normalize(), run on the updated embeddings within the same step.
      const stepped = updates[0][1];
      updates[0] = [this.embeddings, stepped.div(sqrt(sum(stepped.square(), 1)).dimshuffle([0, 'x']))];
      this.trainFn = fn([windows, y, lr], cost, { updates, name: 'elman train' });
    }
    return this.trainFn(contextWindows(sentence.words, this.config.window), sentence.labels, learningRate) as number;
  }

  /**
   * The most probable label index of each word of a sentence of word indices.
   * @example Array.from(model.tag(words), (l) => model.labels[l]) // ['O', 'B-fromloc.city_name', ...]
   */
  tag(words: Int32Array): Int32Array {
    if (!this.tagFn) {
      const windows = imatrix('windows');
      this.tagFn = fn([windows], argmax(this.logits(windows), 1), { name: 'elman tag' });
    }
    return (this.tagFn(contextWindows(words, this.config.window)) as NDArray).data as Int32Array;
  }

  /**
   * The `k` words whose learned embeddings are nearest to `word`'s by cosine.
   * @example model.neighbours('boston', 3) // [{ word: 'philadelphia', cosine: 0.71 }, ...]
   */
  neighbours(word: string, k = 10): Neighbour[] {
    const { words, embedding: de } = this.config;
    const index = words.indexOf(word);
    if (index < 0) throw new Error(`'${word}' is not in the model's dictionary of ${words.length} words`);
    const E = this.embeddings.value.data;
    const norm = (i: number) => Math.hypot(...E.subarray(i * de, (i + 1) * de));
    const own = norm(index);
    const scored: Neighbour[] = [];
    for (let i = 0; i < words.length; i++) {
      if (i === index) continue;
      let dot = 0;
      for (let j = 0; j < de; j++) dot += E[index * de + j] * E[i * de + j];
      scored.push({ word: words[i], cosine: dot / (own * norm(i) || 1) });
    }
    return scored.sort((a, b) => b.cosine - a.cosine).slice(0, k);
  }

  /** The model as a model file: the dictionaries and sizes as its configuration, every parameter by name. */
  toModelFile(meta: Record<string, unknown> = {}): ModelFile {
    const tensors = Object.fromEntries(this.params.map((p) => [p.name!, p.value]));
    const config = { ...this.config, words: [...this.config.words], labels: [...this.config.labels] };
    return { kind: this.kind, config, tensors, meta };
  }

  /**
   * Saves the model (atomically) for `nabla predict --text` and `nabla neighbours`.
   * @example model.save('runs/rnnslu/model.nbm', { best_valid_f1: 0.9733 });
   */
  save(path: string, meta: Record<string, unknown> = {}): void {
    saveModelFile(path, this.toModelFile(meta));
  }

  /** Rebuilds a saved model, checking its configuration and tensors. */
  static fromModelFile(file: ModelFile, path: string): ElmanRnn {
    const read = configReader(path, file.config);
    const model = new ElmanRnn({
      words: read.stringList('words'), labels: read.stringList('labels'),
      window: read.int('window'), embedding: read.int('embedding'), hidden: read.int('hidden'),
    });
    expectShapes(path, file.tensors, Object.fromEntries(model.params.map((p) => [p.name!, p.value.shape])));
    for (const p of model.params) p.set(file.tensors[p.name!]);
    model.meta = file.meta ?? {};
    return model;
  }

  /**
   * Loads a model saved by `save`.
   * @example const model = ElmanRnn.load('runs/rnnslu/model.nbm');
   */
  static load(path: string): ElmanRnn {
    return loadModelAs(path, ElmanRnn.fromModelFile, 'elman');
  }
}
