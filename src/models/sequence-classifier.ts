// What the classifiers of word sequences share (the IMDB LSTM and its bag-of-words baseline): a
// vocabulary of nWords indices, probabilities of padded minibatches (time first, with a mask),
// prediction on any list of sequences, and model files.
import { NDArray } from '../ndarray/index.js';
import type { SharedVariable, Variable } from '../graph/variable.js';
import { imatrix, matrix } from '../graph/constructors.js';
import { fn, type CompiledFunction } from '../compile/index.js';
import type { Mode } from '../nn/index.js';
import type { TrainableSequenceClassifier } from '../fit/index.js';
import { saveModelFile, setParameters } from './model-store.js';

export interface SequenceClassifierConfig {
  /** Word indices 0..nWords-1 (0 pads, 1 is the unknown word). */
  nWords: number;
  classes: number;
}

/** Sequences per call when predicting: bounds the padded minibatch. */
const PREDICT_BATCH = 64;

export abstract class SequenceClassifier<C extends SequenceClassifierConfig = SequenceClassifierConfig>
implements TrainableSequenceClassifier {
  abstract readonly kind: string;
  readonly config: C;
  /** Facts saved with the model (training run, data options); filled in on loading. */
  meta: Record<string, unknown> = {};
  abstract readonly params: SharedVariable[];
  abstract readonly weights: SharedVariable[];
  private predictFn: CompiledFunction | undefined;

  constructor(config: C) {
    if (!Number.isInteger(config.nWords) || config.nWords < 2) throw new Error(`${new.target.name}: nWords ${config.nWords} must be an integer ≥ 2`);
    this.config = config;
  }

  get classes(): number {
    return this.config.classes;
  }

  /**
   * Class probabilities [B, classes] of word indices x (int32 [T, B]) under a mask (float32 [T, B]).
   * @example const p = model.probabilities(nb.imatrix('x'), nb.matrix('mask'), 'train');
   */
  abstract probabilities(x: Variable, mask: Variable, mode: Mode): Variable;

  /**
   * Class probabilities [n, classes] of sequences of word indices (each at least one word long).
   * @example model.predictProba([Int32Array.of(6, 100, 25)]).data // [P(negative), P(positive)]
   */
  predictProba(sequences: readonly Int32Array[]): NDArray {
    if (!this.predictFn) {
      const [x, mask] = [imatrix('x'), matrix('mask')];
      this.predictFn = fn([x, mask], this.probabilities(x, mask, 'test'), { name: `${this.kind} predict` });
    }
    const k = this.classes;
    const out = new NDArray('float32', [sequences.length, k]);
    for (let start = 0; start < sequences.length; start += PREDICT_BATCH) {
      const chunk = sequences.slice(start, start + PREDICT_BATCH);
      const steps = Math.max(...chunk.map((s) => s.length));
      const x = new NDArray('int32', [steps, chunk.length]);
      const mask = new NDArray('float32', [steps, chunk.length]);
      chunk.forEach((s, b) => {
        if (s.length === 0) throw new Error(`${this.kind}: sequence ${start + b} is empty`);
        s.forEach((w, t) => {
          if (!(w >= 0 && w < this.config.nWords)) throw new Error(`${this.kind}: sequence ${start + b}, word ${t}: index ${w} is outside the model's ${this.config.nWords} words`);
          x.data[t * chunk.length + b] = w;
          mask.data[t * chunk.length + b] = 1;
        });
      });
      out.data.set((this.predictFn(x, mask) as NDArray).data, start * k);
    }
    return out;
  }

  /** Saves the model (atomically) for `nabla predict`. */
  save(path: string, meta: Record<string, unknown> = {}): void {
    const tensors = Object.fromEntries(this.params.map((p) => [p.name!, p.value]));
    saveModelFile(path, { kind: this.kind, config: { ...this.config } as Record<string, unknown>, tensors, meta });
  }

  loadTensors(path: string, tensors: Record<string, NDArray>): this {
    setParameters(path, this.kind, this.params, tensors);
    return this;
  }
}
