// All that fit/ knows of a model: the model classes implement these interfaces, so the trainers sit
// below models/ and train them without importing them.
import type { NDArray } from '../ndarray/index.js';
import type { SharedVariable, Variable } from '../graph/variable.js';
import type { Update } from '../compile/index.js';
import type { Mode } from '../nn/index.js';

/** A classifier of rows of `inputSize` columns into `config.classes` labels: what ClassifierTraining trains. */
export interface TrainableClassifier {
  /** The model family, as error messages name it. */
  readonly kind: string;
  readonly inputSize: number;
  readonly config: { readonly classes: number; readonly imageShape?: readonly [number, number] };
  /** Every trainable parameter, each named: the best parameters are kept by name. */
  readonly params: SharedVariable[];
  /** The weights that L1/L2 penalties apply to (not the biases). */
  readonly weights: SharedVariable[];
  /** Class probabilities [batch, classes] for a symbolic batch of rows. */
  probabilities(x: Variable, mode: Mode): Variable;
  /** Sets every parameter from `tensors` by name, checking names and shapes; `path` names their source in errors. */
  loadTensors(path: string, tensors: Record<string, NDArray>): unknown;
}

/** One minibatch's objective: `cost` is differentiated, `monitor` is the figure printed each epoch. */
export interface Objective {
  cost: Variable;
  /** Held constant when differentiating `cost` (the end of an RBM's Gibbs chain). */
  considerConstant: Variable[];
  monitor: Variable;
  /** What `monitor` measures, for progress lines and plots ("reconstruction cross-entropy", ...). */
  monitorName: string;
  /** State advanced besides the parameters: a persistent chain, the pseudo-likelihood's bit index. */
  updates: Update[];
}

/**
 * What LayerTrainer needs of a model: an objective over rows of `visible` columns and the parameters
 * it trains. A dA or an RBM, or a DBN's generative model under up-down fine-tuning.
 */
export interface TrainableLayer {
  readonly kind: string;
  readonly visible: number;
  readonly params: SharedVariable[];
  objective(x: Variable, batchSize: number): Objective;
}

/** A sentence of word indices and the index of each word's tag (ATIS slot filling). */
export interface TaggedSentence {
  words: Int32Array;
  labels: Int32Array;
}

/** A sequence tagger trained one sentence at a time (the Elman network of the ATIS tutorial). */
export interface TrainableTagger {
  readonly kind: string;
  /** Every trainable parameter, each named: the best parameters are kept by name. */
  readonly params: SharedVariable[];
  /** The tag of each label index (IOB tags such as 'B-fromloc.city_name', and 'O'). */
  readonly labels: readonly string[];
  /** One update on one sentence at `learningRate`, with whatever the model does after it; returns the cost. */
  trainSentence(sentence: TaggedSentence, learningRate: number): number;
  /** The most probable label index of each word. */
  tag(words: Int32Array): Int32Array;
}

/**
 * A classifier of padded sequences of word indices (time first) with their mask: what SequenceTraining
 * trains (the LSTM of the IMDB tutorial, its bag-of-words baseline).
 */
export interface TrainableSequenceClassifier {
  readonly kind: string;
  readonly classes: number;
  /** Every trainable parameter, each named. */
  readonly params: SharedVariable[];
  /** The weights under the decay penalty (lstm.py's decay_c applies to the classifier's U). */
  readonly weights: SharedVariable[];
  /** Class probabilities [batch, classes] for word indices x (int32 [T, B]) and mask (float32 [T, B]). */
  probabilities(x: Variable, mask: Variable, mode: Mode): Variable;
  loadTensors(path: string, tensors: Record<string, NDArray>): unknown;
}

/**
 * A density over sequences of binary frames, trained a stretch of frames at a time by an objective whose
 * gradient estimates the log-likelihood's (the RNN-RBM of the polyphonic-music tutorial).
 */
export interface TrainableSequenceDensity {
  readonly kind: string;
  /** Units per frame. */
  readonly visible: number;
  /** Every trainable parameter, each named. */
  readonly params: SharedVariable[];
  /** The objective of one sequence of frames v [T, visible]. */
  objective(v: Variable): Objective;
  /** A draw of each frame of v [T, visible] given the true frames before it: what accuracy compares. */
  predictFrames(v: Variable): Variable;
  loadTensors(path: string, tensors: Record<string, NDArray>): unknown;
}
