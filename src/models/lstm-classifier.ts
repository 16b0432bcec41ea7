// The LSTM of the sentiment tutorial (chapter 13, lstm.py): word embeddings, one LSTM layer, mean
// pooling over time, dropout, logistic regression. With z_t = x_t W + h_{t-1} U + b, one product
// sliced in four (eq. 13.1-13.3 and 13.7, no peephole from the cell to the output gate):
//   i_t = σ(z_i), f_t = σ(z_f), o_t = σ(z_o), C̃_t = tanh(z_c)
//   C_t = i_t ∗ C̃_t + f_t ∗ C_{t-1},  h_t = o_t ∗ tanh(C_t)
// On padding (mask 0) both C and h keep their previous values, and the pooled representation is
// Σ_t mask_t h_t / Σ_t mask_t, so a review's padding changes nothing.
import { NDArray, zeros } from '../ndarray/index.js';
import type { SharedVariable, Variable } from '../graph/variable.js';
import { shared } from '../graph/constructors.js';
import { concatenate, slice, softmax, split, take, zerosLike } from '../ops/index.js';
import { RandomStreams } from '../random/index.js';
import { scan } from '../scan/index.js';
import { Dropout, orthogonalWeights, type Mode } from '../nn/index.js';
import { configReader } from './config-reader.js';
import { loadModelAs, type ModelFile } from './model-store.js';
import { SequenceClassifier, type SequenceClassifierConfig } from './sequence-classifier.js';

export interface LstmConfig extends SequenceClassifierConfig {
  /** Embedding size and LSTM units (lstm.py's dim_proj, 128). */
  dim: number;
  /** lstm.py's use_dropout: the pooled features are kept with probability 0.5 in training, halved in testing. */
  dropout: boolean;
}

/** lstm.py's defaults for the architecture. */
export const LSTM_TUTORIAL = { dim: 128, nWords: 10000, classes: 2, dropout: true } as const;

/**
 * The tutorial's LSTM sentiment classifier; train it with `nabla train lstm`.
 * @example const lstm = new LstmClassifier({ nWords: 10000, classes: 2, dim: 128, dropout: true }, 123);
 * lstm.predictProba([Int32Array.of(6, 100, 25)]) // [[P(negative), P(positive)]]
 */
export class LstmClassifier extends SequenceClassifier<LstmConfig> {
  readonly kind = 'lstm';
  /** Word embeddings [nWords, dim]: 0.01 · uniform(0, 1), as lstm.py. */
  readonly Wemb: SharedVariable;
  /** Input, recurrent and bias weights of the gates side by side (i, f, o, C̃): [dim, 4·dim], [dim, 4·dim], [4·dim]. */
  readonly lstmW: SharedVariable;
  readonly lstmU: SharedVariable;
  readonly lstmB: SharedVariable;
  /** The logistic layer [dim, classes]: 0.01 · normal, and its bias. */
  readonly U: SharedVariable;
  readonly b: SharedVariable;
  private readonly dropoutLayer: Dropout | undefined;

  constructor(config: LstmConfig, seed = 123) {
    super(config);
    const { nWords, dim, classes } = config;
    if (!Number.isInteger(dim) || dim < 1) throw new Error(`LstmClassifier: dim ${dim} must be a positive integer`);
    const rng = new RandomStreams(seed);
    // Four orthogonal blocks side by side, one per gate (lstm.py's param_init_lstm).
    const gates = () => concatenate(Array.from({ length: 4 }, () => orthogonalWeights(rng, dim)), 1).eval() as NDArray;
    this.Wemb = shared(rng.uniform([nWords, dim], 0, 0.01).eval() as NDArray, 'Wemb');
    this.lstmW = shared(gates(), 'lstm_W');
    this.lstmU = shared(gates(), 'lstm_U');
    this.lstmB = shared(zeros([4 * dim]), 'lstm_b');
    this.U = shared(rng.normal([dim, classes], 0, 0.01).eval() as NDArray, 'U');
    this.b = shared(zeros([classes]), 'b');
    this.dropoutLayer = config.dropout ? new Dropout(rng, 0.5) : undefined;
  }

  get params(): SharedVariable[] {
    return [this.Wemb, this.lstmW, this.lstmU, this.lstmB, this.U, this.b];
  }

  /** lstm.py's decay_c penalises the classifier's U only. */
  get weights(): SharedVariable[] {
    return [this.U];
  }

  /** h_t for every step, [T, B, dim], from word indices and mask [T, B]. */
  hiddenStates(x: Variable, mask: Variable): Variable {
    const { dim } = this.config;
    const [steps, batch] = [x.shape.at(0), x.shape.at(1)];
    const embedded = take(this.Wemb, x.flatten());
    // x_t W + b for every step at once: one large product instead of one per step.
    const below = embedded.dot(this.lstmW).add(this.lstmB).reshape([steps, batch, 4 * dim]);
    const step = (m: Variable, zBelow: Variable, hPrev: Variable, cPrev: Variable): Variable[] => {
      // The gates in lstm.py's order: input, forget, output, candidate cell.
      const [i, f, o, candidate] = split(hPrev.dot(this.lstmU).add(zBelow), [dim, dim, dim, dim], 1);
      const keep = m.dimshuffle([0, 'x']);
      const cNew = f.sigmoid().mul(cPrev).add(i.sigmoid().mul(candidate.tanh()));
      const c = keep.mul(cNew).add(keep.rsub(1).mul(cPrev));
      const hNew = o.sigmoid().mul(c.tanh());
      return [keep.mul(hNew).add(keep.rsub(1).mul(hPrev)), c];
    };
    const start = zerosLike(below.at(0, ':', slice(0, dim)));
    const [[h]] = scan(step, { sequences: [mask, below], outputsInfo: [start, start] });
    return h;
  }

  probabilities(x: Variable, mask: Variable, mode: Mode): Variable {
    const h = this.hiddenStates(x, mask);
    let pooled = h.mul(mask.dimshuffle([0, 1, 'x'])).sum(0).div(mask.sum(0).dimshuffle([0, 'x']));
    if (this.dropoutLayer) pooled = this.dropoutLayer.forward(pooled, mode);
    return softmax(pooled.dot(this.U).add(this.b));
  }

  static fromModelFile(file: ModelFile, path: string): LstmClassifier {
    const read = configReader(path, file.config);
    const dropout = file.config.dropout;
    if (typeof dropout !== 'boolean') throw new Error(`${path}: configuration field dropout is ${JSON.stringify(dropout)}; expected true or false`);
    const config = { nWords: read.int('nWords'), classes: read.int('classes'), dim: read.int('dim'), dropout };
    return new LstmClassifier(config).loadTensors(path, file.tensors);
  }

  static load(path: string): LstmClassifier {
    return loadModelAs(path, LstmClassifier.fromModelFile, 'lstm');
  }
}
