// The sequence workloads of BENCH.md, written with nabla's public API and nb.scan as a user would write
// the tutorials' training steps: rnnslu.py's Elman RNN on one ATIS sentence, lstm.py's LSTM on one IMDB
// minibatch, rnnrbm.py's RNN-RBM on 100 steps of a tune, and the loop's own cost per step.
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import * as nb from '../src/index.js';
import { normal, orthogonalInto, seeded, uniform } from './init.js';
import type { Workload } from './workloads.js';

const SEED = 1234;
const ATIS = fileURLToPath(new URL('../../shared/data/atis/fold3.json.gz', import.meta.url));
const NOTTINGHAM = fileURLToPath(new URL('../../shared/data/nottingham/pianoroll_dt0.3.json.gz', import.meta.url));

interface Sentence {
  words: number[];
  labels: number[];
  vocabulary: number;
  classes: number;
}

/**
 * The first training sentence of `length` words of ATIS fold 3, or, without the file, seeded random indices of
 * the tutorial's sizes (572 words, 127 labels), which cost the same.
 */
function atisSentence(length: number): Sentence {
  if (!existsSync(ATIS)) {
    console.error(`${ATIS}: not found; timing random word indices instead`);
    const rng = seeded(SEED);
    const draw = (n: number) => Array.from({ length }, () => Math.floor(rng() * n));
    return { words: draw(572), labels: draw(127), vocabulary: 572, classes: 127 };
  }
  const data = JSON.parse(gunzipSync(readFileSync(ATIS)).toString('utf8')) as {
    words2idx: Record<string, number>;
    labels2idx: Record<string, number>;
    train: { words: number[][]; labels: number[][] };
  };
  const i = data.train.words.findIndex((w) => w.length === length);
  if (i < 0) throw new Error(`${ATIS}: no training sentence of ${length} words`);
  const count = (dict: Record<string, number>) => Object.keys(dict).length;
  const [words, labels] = [data.train.words[i], data.train.labels[i]];
  return { words, labels, vocabulary: count(data.words2idx), classes: count(data.labels2idx) };
}

/** rnnslu.py's contextwin: row t holds the `window` word indices centred on word t, `pad` past the ends. */
function contextWindows(words: readonly number[], window: number, pad: number): nb.NDArray {
  const half = (window - 1) / 2;
  const out = nb.zeros([words.length, window], 'int32');
  words.forEach((_, t) => {
    for (let k = 0; k < window; k++) out.data[t * window + k] = words[t + k - half] ?? pad;
  });
  return out;
}

/**
 * One update of rnnslu.py (its defaults: window 7, embedding 50, hidden 200, learning rate 0.0971) on one
 * 12-word sentence: x_t = the window's embeddings, concatenated; h_t = sigmoid(x_t Wx + h_{t-1} Wh + bh),
 * s_t = softmax(h_t W + b); SGD on the sentence's mean NLL for every parameter, then each embedding
 * scaled to unit length, as the tutorial's train() does.
 */
function rnnsluSentence(): Workload {
  return {
    unit: 'ms/step',
    setup() {
      const [window, dim, hidden, learningRate] = [7, 50, 200, 0.0970806646812754];
      const { words, labels, vocabulary, classes } = atisSentence(12);
      const rng = seeded(SEED);
      const weights = (rows: number, cols: number, name: string) =>
        nb.shared(uniform(rng, [rows, cols], -0.2, 0.2), name);
      const emb = weights(vocabulary + 1, dim, 'embeddings'); // the last row is the padding word
      const Wx = weights(dim * window, hidden, 'Wx');
      const Wh = weights(hidden, hidden, 'Wh');
      const W = weights(hidden, classes, 'W');
      const [bh, b, h0] = [nb.shared(nb.zeros([hidden]), 'bh'), nb.shared(nb.zeros([classes]), 'b'), nb.shared(nb.zeros([hidden]), 'h0')];

      const windows = nb.imatrix('windows');
      const y = nb.ivector('y');
      const x = emb.take(windows).reshape([windows.shape.at(0), dim * window]);
      const [[, s]] = nb.scan((xt: nb.Variable, hPrevious: nb.Variable) => {
        const h = xt.dot(Wx).add(hPrevious.dot(Wh)).add(bh).sigmoid();
        return [h, nb.softmax(h.dot(W).add(b))];
      }, { sequences: [x], outputsInfo: [h0, null] });
      const cost = nb.nll(s, y);
      const train = nb.fn([windows, y], cost, { updates: nb.sgd(cost, [emb, Wx, Wh, W, bh, b, h0], { learningRate }) });
      const normalize = nb.fn([], null, { updates: [[emb, emb.div(emb.square().sum(1).sqrt().dimshuffle([0, 'x']))]] });

      const sentence = contextWindows(words, window, vocabulary);
      const targets = nb.array(Int32Array.from(labels), 'int32', [labels.length]);
      return {
        step: () => {
          train(sentence, targets);
          normalize();
        },
      };
    },
  };
}

/**
 * A padded minibatch as lstm.py's prepare_data makes it: word indices (steps × batch), 0 past each review's end,
 * and the mask; review lengths 100, 95, ..., 25, so the longest fills it (the NumPy peer's review_batch).
 */
function reviewBatch(
  rng: () => number, steps: number, batch: number, vocabulary: number,
): [nb.NDArray, nb.NDArray, nb.NDArray] {
  const x = nb.zeros([steps, batch], 'int32');
  const mask = nb.zeros([steps, batch]);
  for (let t = 0; t < steps; t++) {
    for (let j = 0; j < batch; j++) {
      const inside = t < steps - (steps / 20) * j;
      x.data[t * batch + j] = inside ? 2 + Math.floor(rng() * (vocabulary - 2)) : 0;
      mask.data[t * batch + j] = inside ? 1 : 0;
    }
  }
  const y = nb.array(Int32Array.from({ length: batch }, () => (rng() < 0.5 ? 0 : 1)), 'int32', [batch]);
  return [x, mask, y];
}

/**
 * One AdaDelta update of lstm.py (its defaults: 10,000 words, dim 128, batch 16) on reviews padded to 100 words:
 * e_t = Wemb[x_t]; i, f, o, c~ from one product e_t W + h_{t-1} U + b; c_t = f c_{t-1} + i c~, h_t = o tanh(c_t),
 * each kept at its previous value where the mask is 0; the mean of h over each review's words; softmax(. V + c);
 * mean NLL. Without the tutorial's dropout and its 1e-8 inside the log (the peers leave both out too).
 */
function lstmMinibatch(): Workload {
  return {
    unit: 'ms/step',
    setup() {
      const [vocabulary, dim, steps, batch] = [10_000, 128, 100, 16];
      const rng = seeded(SEED);
      const gates = () => {
        const w = nb.zeros([dim, 4 * dim]);
        for (let k = 0; k < 4; k++) orthogonalInto(rng, w, dim, k * dim);
        return w;
      };
      const Wemb = nb.shared(uniform(rng, [vocabulary, dim], 0, 0.01), 'Wemb');
      const [W, U] = [nb.shared(gates(), 'lstm_W'), nb.shared(gates(), 'lstm_U')];
      const b = nb.shared(nb.zeros([4 * dim]), 'lstm_b');
      const V = nb.shared(normal(rng, [dim, 2], 0.01), 'U');
      const c = nb.shared(nb.zeros([2]), 'b');

      const x = nb.imatrix('x');
      const mask = nb.matrix('mask');
      const y = nb.ivector('y');
      const [nSteps, nSamples] = [x.shape.at(0), x.shape.at(1)];
      // The input's part of every step in one product, outside the loop, as lstm.py computes state_below.
      const below = Wemb.take(x.flatten()).dot(W).add(b).reshape([nSteps, nSamples, 4 * dim]);
      const zeros = nb.zerosLike(below.at(0, ':', nb.slice(0, dim))); // [nSamples, dim], as lstm.py's alloc(0, ...)
      const [[h]] = nb.scan((m: nb.Variable, xt: nb.Variable, hPrevious: nb.Variable, cPrevious: nb.Variable) => {
        // lstm.py's _slice of the one product into the four gates; nb.split's gradient is one concatenate.
        const [i, f, o, candidate] = nb.split(hPrevious.dot(U).add(xt), [dim, dim, dim, dim], 1);
        const keep = m.dimshuffle([0, 'x']);
        const hold = nb.sub(1, keep);
        const cNew = f.sigmoid().mul(cPrevious).add(i.sigmoid().mul(candidate.tanh()));
        const cell = keep.mul(cNew).add(hold.mul(cPrevious));
        const hidden = keep.mul(o.sigmoid().mul(cell.tanh())).add(hold.mul(hPrevious));
        return [hidden, cell];
      }, { sequences: [mask, below], outputsInfo: [zeros, zeros] });
      const pooled = h.mul(mask.dimshuffle([0, 1, 'x'])).sum(0).div(mask.sum(0).dimshuffle([0, 'x']));
      const cost = nb.nll(nb.softmax(pooled.dot(V).add(c)), y);
      const step = nb.fn([x, mask, y], cost, { updates: nb.adadelta(cost, [Wemb, W, U, b, V, c]) });

      const minibatch = reviewBatch(rng, steps, batch, vocabulary);
      return { step: () => void step(...minibatch) };
    },
  };
}

/**
 * The first `steps` steps of the first Nottingham training tune at least that long, as the tutorial's 88-key
 * piano-roll, or, without the file, seeded random frames with about as many notes (the NumPy peer's too).
 */
function nottinghamSequence(steps: number): nb.NDArray {
  const roll = nb.zeros([steps, 88]);
  if (!existsSync(NOTTINGHAM)) {
    console.error(`${NOTTINGHAM}: not found; timing random frames instead`);
    const rng = seeded(SEED);
    roll.data.forEach((_, i) => void (roll.data[i] = rng() < 0.04 ? 1 : 0));
    return roll;
  }
  const data = JSON.parse(gunzipSync(readFileSync(NOTTINGHAM)).toString('utf8')) as { train: { sequences: number[][][] } };
  const song = data.train.sequences.find((s) => s.length >= steps)!;
  song.slice(0, steps).forEach((notes, t) => notes.forEach((p) => void (roll.data[t * 88 + p - 21] = 1)));
  return roll;
}

/**
 * One update of rnnrbm.py (its defaults: 150 RBM hidden units, 100 RNN units, CD-15, learning rate 0.001) on
 * 100 steps of a Nottingham tune: the RNN's recurrence in nb.scan, the Gibbs chain of every step's RBM in
 * another, the chain's end held constant in the gradient; the step returns the tutorial's monitor.
 */
function rnnrbmSequence(): Workload {
  return {
    unit: 'ms/step',
    setup() {
      const model = new nb.RnnRbm(nb.RNN_RBM_TUTORIAL, SEED);
      const v = nb.matrix('v');
      const { cost, considerConstant, monitor } = model.objective(v);
      const gradients = nb.grad(cost, model.params, { considerConstant });
      const train = nb.fn([v], monitor, { updates: nb.sgd(gradients, model.params, { learningRate: 0.001 }) });
      const sequence = nottinghamSequence(100);
      return { step: () => void train(sequence) };
    },
  };
}

const SCAN_STEPS = 10_000;

/** The loop's own cost: a scan of 10,000 steps of h_t = h_{t-1} + x_t on one-element vectors, per step. */
function scanOverhead(): Workload {
  return {
    unit: 'µs/step',
    setup() {
      const x = nb.matrix('x');
      const h0 = nb.vector('h0');
      const [[hs]] = nb.scan((xt: nb.Variable, h: nb.Variable) => h.add(xt), { sequences: [x], outputsInfo: [h0] });
      const f = nb.fn([x, h0], hs);
      const [xs, start] = [nb.ones([SCAN_STEPS, 1]), nb.zeros([1])];
      return { step: () => void f(xs, start), steps: SCAN_STEPS };
    },
  };
}

export const sequenceWorkloads: Record<string, Workload> = {
  rnnslu_sentence: rnnsluSentence(),
  lstm_minibatch: lstmMinibatch(),
  scan_overhead: scanOverhead(),
  rnnrbm_sequence: rnnrbmSequence(),
};
