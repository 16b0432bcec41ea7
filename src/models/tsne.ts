// t-SNE (seed chapter 2; van der Maaten and Hinton 2008, van der Maaten 2014): input affinities
// p_ij = (p_j|i + p_i|j) / 2N, each p_·|i a Gaussian over i's neighbours whose width is set by binary
// search so its perplexity 2^H matches the one asked for; map affinities q_ij ∝ (1 + ‖y_i − y_j‖²)⁻¹;
// gradient descent on KL(P ‖ Q), ∂C/∂y_i = 4 Σ_j (p_ij − q_ij)(y_i − y_j)(1 + ‖y_i − y_j‖²)⁻¹, with early
// exaggeration, momentum and per-coordinate gains as in the reference implementation. The exact method
// holds P and Q in full (N² numbers); Barnes-Hut keeps P on the 3·perplexity nearest neighbours and
// sums the repulsion through a quadtree, in O(N log N) per iteration.
import { assertFiniteMatrix, NDArray } from '../ndarray/index.js';
import { philoxUniform } from '../random/index.js';
import { exactAffinities, sparseAffinities } from './tsne-affinities.js';
import { bhGradient, exactGradient, QuadTree } from './tsne-gradients.js';
import { Pca } from './pca.js';

export type TsneMethod = 'auto' | 'exact' | 'barnes-hut';

export interface TsneConfig {
  /** The effective number of neighbours each point's Gaussian spans (5 to 50 is usual); 30 by default. */
  perplexity?: number;
  /** Gradient steps in all; 1000 by default. */
  iterations?: number;
  /** P is multiplied by this for the first `exaggerationIterations` steps, to form clusters early; 12. */
  earlyExaggeration?: number;
  exaggerationIterations?: number;
  /** The step size, or 'auto': max(N / earlyExaggeration / 4, 50) (Belkina et al. 2019, as scikit-learn). */
  learningRate?: number | 'auto';
  /** Barnes-Hut accuracy: a cell of width w at distance r counts as one point when w / r < theta; 0.5. */
  theta?: number;
  /** 'auto' (the default) is exact up to 1,000 points and Barnes-Hut beyond. */
  method?: TsneMethod;
  /** Reduce the data to this many principal components first when it has more columns (0: never); 50. */
  pcaComponents?: number;
  /** Start from the first two principal components scaled to a standard deviation of 1e-4, or at random. */
  init?: 'pca' | 'random';
  seed?: number;
  /** Measure the KL divergence every this many iterations (it costs about one gradient); 50. */
  klEvery?: number;
}

export interface TsneProgress {
  iteration: number;
  iterations: number;
  /** Present on the iterations where it was measured (against the exaggerated P during exaggeration). */
  kl?: number;
}

export interface TsneFitOptions {
  /** Called after every iteration. */
  onIteration?: (progress: TsneProgress) => void;
}

const MOMENTUM_EARLY = 0.5;
const MOMENTUM_LATE = 0.8;
const MIN_GAIN = 0.01;
const EXACT_UP_TO = 1000;

/**
 * t-SNE: a 2-D map of high-dimensional points that keeps neighbours together.
 * @example const map = new Tsne({ perplexity: 30, seed: 1 }).fitTransform(x); // float64 [N, 2]
 * tsne.klDivergence // the final KL(P ‖ Q)
 */
export class Tsne {
  readonly kind = 'tsne';
  readonly config: Required<TsneConfig>;
  /** The final KL divergence, measured after the last iteration. */
  klDivergence?: number;
  /** The KL divergences measured along the way (during exaggeration: against the exaggerated P). */
  klHistory: { iteration: number; kl: number }[] = [];
  /** Facts about the last run: method, points, input and reduced dimensions, learning rate. */
  meta: Record<string, unknown> = {};

  constructor(config: TsneConfig = {}) {
    const {
      perplexity = 30, iterations = 1000, earlyExaggeration = 12, exaggerationIterations = 250, learningRate = 'auto',
      theta = 0.5, method = 'auto', pcaComponents = 50, init = 'pca', seed = 1, klEvery = 50,
    } = config;
    const positive = (name: string, v: number) => {
      if (!(Number.isFinite(v) && v > 0)) throw new Error(`Tsne: ${name} must be a positive number, got ${v}`);
    };
    const count = (name: string, v: number, least: number) => {
      if (!Number.isInteger(v) || v < least) throw new Error(`Tsne: ${name} must be an integer of at least ${least}, got ${v}`);
    };
    positive('perplexity', perplexity);
    positive('earlyExaggeration', earlyExaggeration);
    if (learningRate !== 'auto') positive('learningRate', learningRate);
    if (!(theta >= 0 && theta < 10)) throw new Error(`Tsne: theta must be from 0 to 10, got ${theta}`);
    count('iterations', iterations, 1);
    count('exaggerationIterations', exaggerationIterations, 0);
    count('pcaComponents', pcaComponents, 0);
    count('klEvery', klEvery, 1);
    count('seed', seed, 0);
    if (!['auto', 'exact', 'barnes-hut'].includes(method)) throw new Error(`Tsne: method must be auto, exact or barnes-hut, got ${method}`);
    if (!['pca', 'random'].includes(init)) throw new Error(`Tsne: init must be pca or random, got ${init}`);
    this.config = {
      perplexity, iterations, earlyExaggeration, exaggerationIterations, learningRate, theta, method, pcaComponents,
      init, seed, klEvery,
    };
  }

  /**
   * Embeds the rows of x [N, D] in the plane; returns float64 [N, 2]. Duplicate points are fine (they
   * land together); constant columns carry no distance and change nothing.
   */
  fitTransform(x: NDArray, options: TsneFitOptions = {}): NDArray {
    const where = 'Tsne.fitTransform';
    assertFiniteMatrix(x, where);
    const [n, d] = x.shape;
    const c = this.config;
    if (n < 2) throw new Error(`${where}: needs at least 2 points, got ${n}`);
    if (c.perplexity > n - 1) {
      throw new Error(`${where}: perplexity ${c.perplexity} is larger than N − 1 = ${n - 1}; use fewer than ${n} (5 to 50 is usual) or more points`);
    }
    const method = c.method === 'auto' ? (n <= EXACT_UP_TO ? 'exact' : 'barnes-hut') : c.method;
    const reduce = c.pcaComponents > 0 && d > c.pcaComponents && n > c.pcaComponents;
    const data = reduce
      ? new Pca({ components: c.pcaComponents }).fitTransform(x)
      : x.dtype === 'float64' ? x : x.astype('float64');
    const learningRate = c.learningRate === 'auto' ? Math.max(n / c.earlyExaggeration / 4, 50) : c.learningRate;
    this.meta = { method, points: n, dimensions: d, reducedTo: data.shape[1], learningRate };
    const Y = this.initialMap(data);
    this.klHistory = [];
    if (method === 'exact') {
      const P = exactAffinities(data, c.perplexity);
      const W = new Float64Array(n * n);
      this.optimize(Y, learningRate, options, (y, grad, alpha, wantKl) => exactGradient(P, W, y, grad, alpha, wantKl));
    } else {
      const P = sparseAffinities(data, c.perplexity);
      const tree = new QuadTree(n);
      const gradient = (y: Float64Array, grad: Float64Array, alpha: number, wantKl: boolean) =>
        bhGradient(P, tree, y, grad, alpha, c.theta, wantKl);
      this.optimize(Y, learningRate, options, gradient);
    }
    return new NDArray('float64', [n, 2], Y);
  }

  /** The first two principal components scaled to a standard deviation of 1e-4, or N(0, 1e-4²) at random. */
  private initialMap(data: NDArray): Float64Array {
    const n = data.shape[0];
    const Y = new Float64Array(2 * n);
    if (this.config.init === 'pca' && data.shape[1] >= 2) {
      const z = new Pca({ components: 2 }).fitTransform(data).data;
      let sum = 0;
      let sumSq = 0;
      for (let i = 0; i < n; i++) [sum, sumSq] = [sum + z[2 * i], sumSq + z[2 * i] ** 2];
      const std = Math.sqrt(Math.max(sumSq / n - (sum / n) ** 2, 0)) || 1;
      for (let i = 0; i < 2 * n; i++) Y[i] = (z[i] / std) * 1e-4;
      return Y;
    }
    const u = new Float64Array(4 * n);
    philoxUniform(this.config.seed, 7, 0, u);
    for (let i = 0; i < 2 * n; i++) { // Box-Muller
      Y[i] = 1e-4 * Math.sqrt(-2 * Math.log(u[2 * i])) * Math.cos(2 * Math.PI * u[2 * i + 1]);
    }
    return Y;
  }

  /**
   * Gradient descent with momentum and gains (Jacobs 1988, as the reference implementation): a
   * coordinate whose gradient keeps its sign speeds up by 0.2, one that flips slows to 0.8 of its gain.
   */
  private optimize(
    Y: Float64Array, learningRate: number, options: TsneFitOptions,
    gradient: (y: Float64Array, grad: Float64Array, exaggeration: number, wantKl: boolean) => number,
  ): void {
    const c = this.config;
    const n = Y.length / 2;
    const grad = new Float64Array(2 * n);
    const update = new Float64Array(2 * n);
    const gains = new Float64Array(2 * n).fill(1);
    for (let it = 0; it < c.iterations; it++) {
      const early = it < c.exaggerationIterations;
      const momentum = early ? MOMENTUM_EARLY : MOMENTUM_LATE;
      const last = it === c.iterations - 1;
      const wantKl = (it + 1) % c.klEvery === 0 || last;
      const kl = gradient(Y, grad, early ? c.earlyExaggeration : 1, wantKl);
      for (let i = 0; i < 2 * n; i++) {
        const g = grad[i];
        gains[i] = (g > 0) !== (update[i] > 0) ? gains[i] + 0.2 : Math.max(gains[i] * 0.8, MIN_GAIN);
        update[i] = momentum * update[i] - learningRate * gains[i] * g;
        Y[i] += update[i];
      }
      let [mx, my] = [0, 0];
      for (let i = 0; i < n; i++) [mx, my] = [mx + Y[2 * i], my + Y[2 * i + 1]];
      [mx, my] = [mx / n, my / n];
      for (let i = 0; i < n; i++) {
        Y[2 * i] -= mx;
        Y[2 * i + 1] -= my;
      }
      if (wantKl) this.klHistory.push({ iteration: it + 1, kl });
      options.onIteration?.({ iteration: it + 1, iterations: c.iterations, ...(wantKl ? { kl } : {}) });
    }
    // The last measure was of the map before the last step; measure the final map itself.
    this.klDivergence = gradient(Y, grad, 1, true);
    const final = this.klHistory[this.klHistory.length - 1];
    if (final && final.iteration === c.iterations) final.kl = this.klDivergence;
  }
}
