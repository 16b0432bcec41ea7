// IMDB movie reviews as the LSTM tutorial (chapter 13) loads them: word indices from `imdb.json.gz`,
// words from `dict.json.gz` (index = 2 + frequency rank; 0 pads, 1 is the unknown word), the vocabulary
// cut to n_words, the maxlen filter or our truncation, a seeded validation split, valid and test sorted
// by length, and minibatches padded to their longest review with a mask (imdb.py's prepare_data).
import { NDArray } from '../ndarray/index.js';
import { shuffleInPlace } from '../random/index.js';
import type { MinibatchSource, PaddedMinibatch } from '../fit/index.js';
import { readJson } from './json-file.js';

/** Reviews as word-index sequences with their labels (1 positive, 0 negative). */
export interface Reviews {
  x: Int32Array[];
  y: Int32Array;
}

export interface ImdbDictionary {
  /** The word of index i + 2. */
  words: string[];
  /** Word → index (a Map: the vocabulary holds keys such as `constructor`). */
  index: Map<string, number>;
}

/** Index 0 pads minibatches (it never occurs in the data); 1 stands for every word outside the vocabulary. */
export const PAD = 0;
export const UNKNOWN = 1;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Reads a dictionary in the layout of dict.json.gz ({ words: [word of index 2, 3, ...], ... }).
 * @example readImdbDictionary('data/imdb/dict.json.gz').index.get('great') // 86
 */
export function readImdbDictionary(path: string): ImdbDictionary {
  const json = readJson(path);
  if (!isObject(json) || !Array.isArray(json.words)) throw new Error(`${path}: not an IMDB dictionary (expected an object with a "words" list)`);
  const words = json.words as unknown[];
  const index = new Map<string, number>();
  words.forEach((word, i) => {
    if (typeof word !== 'string' || word === '') throw new Error(`${path}: word ${i} (index ${i + 2}) is ${JSON.stringify(word)}, not a word`);
    if (index.has(word)) throw new Error(`${path}: word ${JSON.stringify(word)} appears twice (indices ${index.get(word)} and ${i + 2})`);
    index.set(word, i + 2);
  });
  return { words: words as string[], index };
}

/** One split ("train" or "test") of the data file, checked review by review. */
function readSplit(path: string, json: Record<string, unknown>, name: string, indexLimit: number): Reviews {
  const split = json[name];
  if (!isObject(split) || !Array.isArray(split.x) || !Array.isArray(split.y)) throw new Error(`${path}: has no "${name}" split with "x" and "y" lists`);
  const [xs, ys] = [split.x as unknown[], split.y as unknown[]];
  if (xs.length !== ys.length) throw new Error(`${path}: ${name} has ${xs.length} reviews (x) but ${ys.length} labels (y)`);
  const y = new Int32Array(ys.length);
  ys.forEach((label, i) => {
    if (label !== 0 && label !== 1) throw new Error(`${path}: ${name} review ${i}: label ${JSON.stringify(label)} is not 0 or 1`);
    y[i] = label;
  });
  const x = xs.map((review, i) => {
    if (!Array.isArray(review)) throw new Error(`${path}: ${name} review ${i} is not a list of word indices`);
    if (review.length === 0) throw new Error(`${path}: ${name} review ${i} is empty`);
    const words = Int32Array.from(review as number[]);
    for (let t = 0; t < review.length; t++) {
      const w = review[t] as unknown;
      if (typeof w !== 'number' || !Number.isInteger(w) || w < 0 || w >= indexLimit) {
        throw new Error(`${path}: ${name} review ${i}, word ${t}: index ${JSON.stringify(w)} is outside the dictionary (integers 0 to ${indexLimit - 1})`);
      }
    }
    return words;
  });
  return { x, y };
}

/**
 * Reads reviews in the layout of imdb.json.gz ({ train: { x, y }, test: { x, y } }), checking every
 * word index against a dictionary of `dictionarySize` words (indices 0 to dictionarySize + 1).
 * @example const dict = readImdbDictionary(dictPath); const { train, test } = readImdb(dataPath, dict.words.length);
 */
export function readImdb(path: string, dictionarySize: number): { train: Reviews; test: Reviews } {
  const json = readJson(path);
  if (!isObject(json)) throw new Error(`${path}: not IMDB data (expected an object with "train" and "test")`);
  const limit = dictionarySize + 2;
  return { train: readSplit(path, json, 'train', limit), test: readSplit(path, json, 'test', limit) };
}

export interface ImdbOptions {
  /** Words of index ≥ nWords become UNKNOWN (the tutorial's n_words, 10000). */
  nWords: number;
  /** Keep only training reviews shorter than this (the tutorial's maxlen, 100; the test set is kept whole). */
  maxlen?: number;
  /** Keep every review but cut each, in every split, to its last `truncate` words. */
  truncate?: number;
  /** The share of the (filtered) training reviews drawn for validation (0.05). */
  validPortion?: number;
  /** Seed of the validation draw and of the test sample. */
  seed: number;
  /** Keep a random sample of this many test reviews (lstm.py's test_size; all when absent). */
  testSize?: number;
}

export interface ImdbSplits {
  train: Reviews;
  /** Sorted by length, as the tutorial sorts, so that its minibatches carry little padding. */
  valid: Reviews;
  test: Reviews;
}

/**
 * A seeded permutation of 0..n-1 (Fisher–Yates over Philox draws): the same on every machine and
 * backend, though not numpy's.
 * @example permutation(5, 123, 0) // e.g. [3, 0, 4, 1, 2]
 */
export function permutation(n: number, seed: number, stream: number): Int32Array {
  return shuffleInPlace(Int32Array.from({ length: n }, (_, i) => i), seed, 0, stream);
}

const pick = (reviews: Reviews, order: ArrayLike<number>): Reviews => ({
  x: Array.from(order, (i) => reviews.x[i]),
  y: Int32Array.from(order, (i) => reviews.y[i]),
});

const sortByLength = (reviews: Reviews): Reviews =>
  pick(reviews, reviews.x.map((_, i) => i).sort((a, b) => reviews.x[a].length - reviews.x[b].length || a - b));

/** The vocabulary cut and the truncation of one review. */
function reshape(review: Int32Array, nWords: number, truncate?: number): Int32Array {
  const kept = truncate !== undefined && review.length > truncate ? review.subarray(review.length - truncate) : review;
  return kept.map((w) => (w >= nWords ? UNKNOWN : w));
}

/** Streams of the Philox generator, one per use, so that one seed gives independent draws. */
const STREAMS = { validation: 1, testSample: 2, minibatches: 3 } as const;

/**
 * The tutorial's splits (imdb.load_data and lstm.py's test sample) of reviews read by readImdb.
 * @example const { train, valid, test } = splitImdb(readImdb(path, size), { nWords: 10000, maxlen: 100, seed: 123 });
 * train.x.length // 1998 of the 2105 reviews under 100 words; valid 107, sorted by length
 */
export function splitImdb(data: { train: Reviews; test: Reviews }, options: ImdbOptions): ImdbSplits {
  const { nWords, maxlen, truncate, validPortion = 0.05, seed, testSize } = options;
  if (!Number.isInteger(nWords) || nWords < 2) throw new Error(`imdb: n_words ${nWords} must be an integer ≥ 2`);
  if (maxlen !== undefined && truncate !== undefined) throw new Error('imdb: maxlen (drop longer reviews) and truncate (cut them) exclude each other');
  if (!(validPortion > 0 && validPortion < 1)) throw new Error(`imdb: validation portion ${validPortion} must be in (0, 1)`);
  let train = data.train;
  if (maxlen !== undefined) train = pick(train, train.x.flatMap((r, i) => (r.length < maxlen ? [i] : [])));
  const n = train.x.length;
  const order = permutation(n, seed, STREAMS.validation);
  const nTrain = Math.round(n * (1 - validPortion));
  if (nTrain < 1 || nTrain >= n) throw new Error(`imdb: ${n} training reviews${maxlen ? ` shorter than ${maxlen} words` : ''} leave no training or no validation set`);
  const cut = (reviews: Reviews): Reviews => ({ x: reviews.x.map((r) => reshape(r, nWords, truncate)), y: reviews.y });
  let test = sortByLength(cut(data.test));
  if (testSize !== undefined && testSize < test.x.length) {
    test = pick(test, permutation(test.x.length, seed, STREAMS.testSample).subarray(0, testSize));
  }
  return {
    train: cut(pick(train, order.subarray(0, nTrain))),
    valid: sortByLength(cut(pick(train, order.subarray(nTrain)))),
    test,
  };
}

/**
 * The reviews `indices` of a set as one padded minibatch (imdb.py's prepare_data): word indices int32
 * [T, B] with PAD after each review's end, mask float32 [T, B] (1 on words), labels int32 [B].
 * @example padBatch(train, [4, 9]).x.shape // [length of the longer of reviews 4 and 9, 2]
 */
export function padBatch(reviews: Reviews, indices: ArrayLike<number>): PaddedMinibatch {
  const batch = indices.length;
  let steps = 0;
  for (let b = 0; b < batch; b++) steps = Math.max(steps, reviews.x[indices[b]].length);
  const x = new NDArray('int32', [steps, batch]);
  const mask = new NDArray('float32', [steps, batch]);
  const y = new NDArray('int32', [batch]);
  for (let b = 0; b < batch; b++) {
    const review = reviews.x[indices[b]];
    for (let t = 0; t < review.length; t++) {
      x.data[t * batch + b] = review[t];
      mask.data[t * batch + b] = 1;
    }
    y.data[b] = reviews.y[indices[b]];
  }
  return { x, mask, y };
}

/**
 * Index lists of minibatches over n examples, the last one holding what is left (lstm.py's
 * get_minibatches_idx); shuffled when a seed is given, with a fresh order for each epoch.
 * @example minibatchIndices(10, 4) // [[0, 1, 2, 3], [4, 5, 6, 7], [8, 9]]
 * minibatchIndices(10, 4, { seed: 123, epoch: 2 }) // the same sizes, a permutation of 0..9
 */
export function minibatchIndices(n: number, size: number, shuffle?: { seed: number; epoch: number }): Int32Array[] {
  if (!Number.isInteger(size) || size < 1) throw new Error(`minibatch size ${size} must be a positive integer`);
  // Each epoch draws its own stream, so that a resumed run shuffles as the uninterrupted run did.
  const order = shuffle
    ? permutation(n, shuffle.seed, STREAMS.minibatches + 16 * shuffle.epoch)
    : Int32Array.from({ length: n }, (_, i) => i);
  const batches: Int32Array[] = [];
  for (let start = 0; start < n; start += size) batches.push(order.subarray(start, Math.min(n, start + size)));
  return batches;
}

/**
 * Reviews as a source of padded minibatches for training: reshuffled each epoch by `seed` when given
 * (the training set), in order otherwise (validation and test, sorted by length).
 * @example new SequenceTraining(model, reviewBatches(train, 16, 123), options)
 */
export function reviewBatches(reviews: Reviews, batchSize: number, seed?: number): MinibatchSource {
  const n = reviews.x.length;
  const inOrder = minibatchIndices(n, batchSize);
  let shuffled = { epoch: -1, batches: inOrder };
  return {
    batches: inOrder.length,
    examples: n,
    batch(index, epoch) {
      if (seed === undefined) return padBatch(reviews, inOrder[index]);
      if (shuffled.epoch !== epoch) shuffled = { epoch, batches: minibatchIndices(n, batchSize, { seed, epoch }) };
      return padBatch(reviews, shuffled.batches[index]);
    },
  };
}

/**
 * Each review's distinct words, in order of first appearance: a bag-of-words model summing over them
 * then sees binary features (word present or not).
 * @example distinctWords({ x: [Int32Array.of(5, 7, 5)], y }).x[0] // Int32Array [5, 7]
 */
export function distinctWords(reviews: Reviews): Reviews {
  return { x: reviews.x.map((r) => Int32Array.from(new Set(r))), y: reviews.y };
}
