// The BENCH.md workloads written with nabla's public API, as a user would write the training steps:
// each workload builds its compiled step once and returns a function that runs one step.
import * as nb from '../src/index.js';
import { loadMnist, type MnistData } from '../src/data/index.js';
import { glorot, seeded } from './init.js';
import { sequenceWorkloads } from './sequences.js';
import { embeddingWorkloads } from './embeddings.js';
import type { TimingOptions } from './timing.js';

export interface Workload {
  unit: 'ms' | 'ms/step' | 'µs/step' | 'ms/draw' | 's';
  /** Warm-up and repetition lengths other than the default (runs of seconds need no long warm-up). */
  timing?: TimingOptions;
  /**
   * Builds the step; returns one call of it, optional extra figures for a measured time (ms per call),
   * and how many steps one call runs when the unit is per step of a loop inside the call.
   */
  setup(data: () => MnistData): { step: () => void; extra?: (ms: number) => Record<string, number>; steps?: number };
}

const SEED = 1234;

/** Minibatches cycling through the first 50,000 training images, as views (no copies). */
function batches(data: MnistData, size: number): () => [nb.NDArray, nb.NDArray] {
  const { x, y } = data.train;
  const count = Math.floor(x.shape[0] / size);
  let k = 0;
  return () => {
    const i = k++ % count;
    const rows = x.data.subarray(i * size * 784, (i + 1) * size * 784);
    return [nb.array(rows, 'float32', [size, 784]), nb.array(y.data.subarray(i * size, (i + 1) * size), 'int32', [size])];
  };
}

function gemm(n: number): Workload {
  return {
    unit: 'ms',
    setup() {
      const rng = seeded(SEED);
      const fill = () => nb.array(Float32Array.from({ length: n * n }, rng), 'float32', [n, n]);
      const [a, b] = [fill(), fill()];
      const A = nb.matrix('A');
      const B = nb.matrix('B');
      // C = A·B into one output kept from call to call, as the peers write theirs (NumPy's out=, the C
      // peer's one buffer) and as Theano's own BLAS check did (an update of a shared variable): a fresh
      // 256 KiB output every call costs about 50 µs more at n = 256 (allocation, zeroing, cold cache lines).
      const C = nb.shared(nb.zeros([n, n]), 'C');
      const f = nb.fn([A, B], null, { updates: [[C, A.dot(B)]] });
      return { step: () => void f(a, b), extra: (ms) => ({ gflops: (2 * n ** 3) / (ms * 1e6) }) };
    },
  };
}

/** Softmax regression or an MLP with tanh hidden layers: NLL + l2·Σ‖W‖², plain SGD. */
function classifier(hidden: number[], batch: number, lr: number, l2: number): Workload {
  return {
    unit: 'ms/step',
    setup(data) {
      const rng = seeded(SEED);
      const sizes = [784, ...hidden, 10];
      const x = nb.matrix('x');
      const y = nb.ivector('y');
      const weights = sizes.slice(1).map((n, i) => nb.shared(i === hidden.length ? nb.zeros([sizes[i], n]) : glorot(rng, sizes[i], n), `W${i}`));
      const biases = sizes.slice(1).map((n, i) => nb.shared(nb.zeros([n]), `b${i}`));
      let h: nb.Variable = x;
      weights.forEach((W, i) => {
        const z = h.dot(W).add(biases[i]);
        h = i === hidden.length ? nb.softmax(z) : z.tanh();
      });
      let cost: nb.Variable = nb.nll(h, y);
      if (l2 > 0) cost = cost.add(weights.map((W) => nb.l2Sqr(W)).reduce((a, b) => a.add(b)).mul(l2));
      const step = nb.fn([x, y], cost, { updates: nb.sgd(cost, [...weights, ...biases], { learningRate: lr }) });
      const next = batches(data(), batch);
      return { step: () => void step(...next()) };
    },
  };
}

function lenet(): Workload {
  return {
    unit: 'ms/step',
    setup(data) {
      const rng = seeded(SEED);
      const batch = 500;
      // The tutorial's conv init: fan-in c·5·5, fan-out k·5·5 / pool area.
      const filterBank = (k: number, c: number) => {
        const bound = Math.sqrt(6 / (c * 25 + (k * 25) / 4));
        const w = nb.zeros([k, c, 5, 5]);
        for (let i = 0; i < w.size; i++) w.data[i] = (2 * rng() - 1) * bound;
        return nb.shared(w);
      };
      const x = nb.matrix('x');
      const y = nb.ivector('y');
      const [W0, W1] = [filterBank(20, 1), filterBank(50, 20)];
      const [b0, b1] = [nb.shared(nb.zeros([20])), nb.shared(nb.zeros([50]))];
      const W2 = nb.shared(glorot(rng, 800, 500));
      const b2 = nb.shared(nb.zeros([500]));
      const W3 = nb.shared(nb.zeros([500, 10]));
      const b3 = nb.shared(nb.zeros([10]));
      const convPool = (input: nb.Variable, W: nb.SharedVariable, b: nb.SharedVariable) =>
        nb.maxPool2d(nb.conv2d(input, W), [2, 2]).add(b.dimshuffle(['x', 0, 'x', 'x'])).tanh();
      const h0 = convPool(x.reshape([batch, 1, 28, 28]), W0, b0);
      const h1 = convPool(h0, W1, b1);
      const h2 = h1.flatten(2).dot(W2).add(b2).tanh();
      const cost = nb.nll(nb.softmax(h2.dot(W3).add(b3)), y);
      const step = nb.fn([x, y], cost, {
        updates: nb.sgd(cost, [W0, b0, W1, b1, W2, b2, W3, b3], { learningRate: 0.1 }),
      });
      const next = batches(data(), batch);
      return { step: () => void step(...next()) };
    },
  };
}

/** Denoising autoencoder 784-500, tied weights, binomial corruption 0.3, cross-entropy, SGD 0.1, batch 20. */
function denoisingAutoencoder(): Workload {
  return {
    unit: 'ms/step',
    setup(data) {
      const rng = seeded(SEED);
      const streams = new nb.RandomStreams(SEED);
      const x = nb.matrix('x');
      const W = nb.shared(glorot(rng, 784, 500, 4), 'W');
      const hbias = nb.shared(nb.zeros([500]), 'hbias');
      const vbias = nb.shared(nb.zeros([784]), 'vbias');
      const corrupted = streams.binomial(x.shape, 1, 0.7).mul(x);
      const hidden = corrupted.dot(W).add(hbias).sigmoid();
      const reconstruction = hidden.dot(W.T).add(vbias).sigmoid();
      const cost = nb.binaryCrossentropy(reconstruction, x).sum(1).mean();
      const step = nb.fn([x], cost, { updates: nb.sgd(cost, [W, hbias, vbias], { learningRate: 0.1 }) });
      const next = batches(data(), 20);
      return { step: () => void step(next()[0]) };
    },
  };
}

/** Binary RBM 784-500 trained by CD-k, or persistent CD-k with a chain of one minibatch of particles. */
function rbm(k: number, persistent: boolean): Workload {
  return {
    unit: 'ms/step',
    setup(data) {
      const rng = seeded(SEED);
      const streams = new nb.RandomStreams(SEED);
      const batch = 20;
      const x = nb.matrix('x');
      const W = nb.shared(glorot(rng, 784, 500, 4), 'W');
      const hbias = nb.shared(nb.zeros([500]), 'hbias');
      const vbias = nb.shared(nb.zeros([784]), 'vbias');
      const chain = nb.shared(nb.zeros([batch, 500]), 'chain');
      const hiddenMean = (v: nb.Variable) => v.dot(W).add(hbias).sigmoid();
      const visibleMean = (h: nb.Variable) => h.dot(W.T).add(vbias).sigmoid();
      const sample = (mean: nb.Variable) => streams.binomial(mean.shape, 1, mean);
      const freeEnergy = (v: nb.Variable) => v.dot(vbias).neg().sub(nb.softplus(v.dot(W).add(hbias)).sum(1));
      let h: nb.Variable = persistent ? chain : sample(hiddenMean(x));
      let v: nb.Variable = x;
      for (let i = 0; i < k; i++) {
        v = sample(visibleMean(h));
        h = sample(hiddenMean(v));
      }
      const cost = freeEnergy(x).mean().sub(freeEnergy(v).mean());
      const grads = nb.grad(cost, [W, hbias, vbias], { considerConstant: [v] });
      const updates = nb.sgd(grads, [W, hbias, vbias], { learningRate: 0.1 });
      const step = nb.fn([x], null, { updates: persistent ? [...updates, [chain, h]] : updates });
      const next = batches(data(), batch);
      return { step: () => void step(next()[0]) };
    },
  };
}

/**
 * One HMC draw (20 leapfrog steps, 3 chains) on the HMC tutorial's 5-d Gaussian; the extra figures are
 * the largest errors of the mean and covariance after 1,000 burn-in and 3,000 kept draws.
 */
function hmcGaussian(): Workload {
  return {
    unit: 'ms/draw',
    setup() {
      const check = nb.sampleTutorialGaussian({ burnIn: 1000, draws: 3000 });
      const g = nb.TUTORIAL_GAUSSIAN;
      const sampler = new nb.Hmc({
        energy: nb.gaussianEnergy(g.mean, g.covariance, 'float32'), positions: nb.array(g.start, 'float32'),
        stepSize: g.stepSize, stepSizeMax: g.stepSizeMax,
      });
      const extra = {
        acceptance: check.acceptance, mean_abs_error: check.meanAbsError, cov_abs_error: check.covAbsError,
      };
      return { step: () => void sampler.draw(), extra: () => extra };
    },
  };
}

export const workloads: Record<string, Workload> = {
  gemm_256: gemm(256),
  gemm_1024: gemm(1024),
  gemm_2048: gemm(2048),
  logreg_step: classifier([], 600, 0.13, 0),
  mlp_step_b20: classifier([500], 20, 0.01, 1e-4),
  mlp_step_b500: classifier([500], 500, 0.01, 1e-4),
  lenet_step: lenet(),
  da_step: denoisingAutoencoder(),
  rbm_cd1_step: rbm(1, false),
  rbm_pcd15_step: rbm(15, true),
  ...sequenceWorkloads,
  ...embeddingWorkloads,
  hmc_gaussian: hmcGaussian(),
};

/** MNIST loaded once, on the first workload that needs it. */
export function lazyMnist(): () => MnistData {
  let data: MnistData | undefined;
  return () => (data ??= loadMnist());
}
