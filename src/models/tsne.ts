// t-SNE (seed chapter 2; van der Maaten and Hinton 2008, van der Maaten 2014): input affinities
// p_ij = (p_j|i + p_i|j) / 2N, each p_·|i a Gaussian over i's neighbours whose width is set by binary
// search so its perplexity 2^H matches the one asked for; map affinities q_ij ∝ (1 + ‖y_i − y_j‖²)⁻¹;
// gradient descent on KL(P ‖ Q), ∂C/∂y_i = 4 Σ_j (p_ij − q_ij)(y_i − y_j)(1 + ‖y_i − y_j‖²)⁻¹, with early
// exaggeration, momentum and per-coordinate gains as in the reference implementation. The exact method
// holds P and Q in full (N² numbers); Barnes-Hut keeps P on the 3·perplexity nearest neighbours and
// sums the repulsion through a quadtree, in O(N log N) per iteration.
import { NDArray } from '../ndarray/index.js';
import { philoxUniform } from '../random/index.js';
import { nearestNeighbours } from './neighbours.js';
import { assertFiniteMatrix, Pca } from './pca.js';

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
const MAX_DEPTH = 60;

/** Sparse symmetric P in compressed rows: row i's columns cols[start[i]..start[i+1]) with values vals. */
interface SparseP {
  start: Int32Array;
  cols: Int32Array;
  vals: Float64Array;
}

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

/**
 * The precision β_i = 1 / 2σ_i² of point i's Gaussian over the squared distances `dist` (length m),
 * found by bisection so that the entropy H = log Σ e^(−βd) + β·Σ d·p matches log(perplexity); writes
 * the normalised p_·|i into `out`. Distances are shifted by their minimum first, which changes nothing
 * after normalising but keeps the exponentials from underflowing.
 */
function calibrate(dist: ArrayLike<number>, m: number, perplexity: number, out: Float64Array, skip = -1): void {
  const target = Math.log(perplexity);
  let minDist = Infinity;
  for (let j = 0; j < m; j++) if (j !== skip && dist[j] < minDist) minDist = dist[j];
  let beta = 1;
  let [low, high] = [-Infinity, Infinity];
  for (let attempt = 0; attempt < 200; attempt++) {
    let sum = 0;
    let weighted = 0;
    for (let j = 0; j < m; j++) {
      if (j === skip) {
        out[j] = 0;
        continue;
      }
      const shifted = dist[j] - minDist;
      const p = Math.exp(-beta * shifted);
      out[j] = p;
      sum += p;
      weighted += shifted * p;
    }
    const entropy = Math.log(sum) + (beta * weighted) / sum;
    const normalise = 1 / sum;
    if (Math.abs(entropy - target) < 1e-5 || attempt === 199) {
      for (let j = 0; j < m; j++) out[j] *= normalise;
      return;
    }
    if (entropy > target) {
      low = beta;
      beta = high === Infinity ? beta * 2 : (beta + high) / 2;
    } else {
      high = beta;
      beta = low === -Infinity ? beta / 2 : (beta + low) / 2;
    }
  }
}

/** Full symmetric P [N·N] from all pairwise squared distances. */
function exactAffinities(x: NDArray, perplexity: number): Float64Array {
  const [n, d] = x.shape;
  const data = x.data;
  const P = new Float64Array(n * n);
  const dist = new Float64Array(n);
  const row = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let k = 0; k < d; k++) s += (data[i * d + k] - data[j * d + k]) ** 2;
      dist[j] = s;
    }
    calibrate(dist, n, perplexity, row, i);
    P.set(row, i * n);
  }
  const scale = 1 / (2 * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < i; j++) {
      const p = Math.max((P[i * n + j] + P[j * n + i]) * scale, Number.MIN_VALUE);
      P[i * n + j] = P[j * n + i] = p;
    }
  }
  return P;
}

/** Sparse symmetric P over each point's ⌊3·perplexity⌋ nearest neighbours (at most N − 1). */
function sparseAffinities(x: NDArray, perplexity: number): SparseP {
  const n = x.shape[0];
  const k = Math.min(n - 1, Math.floor(3 * perplexity));
  const { indices, distances } = nearestNeighbours(x, k);
  const conditional = new Float64Array(n * k);
  const row = new Float64Array(k);
  for (let i = 0; i < n; i++) {
    calibrate(distances.subarray(i * k, (i + 1) * k), k, perplexity, row);
    conditional.set(row, i * k);
  }
  // Rows of the conditional matrix, each sorted by column, and the rows of its transpose (built in
  // order of their columns by a counting sort), merged: p_ij = (p_j|i + p_i|j) / 2N.
  const order = new Int32Array(n * k);
  for (let i = 0; i < n; i++) {
    const slots = Array.from({ length: k }, (_, m) => i * k + m).sort((a, b) => indices[a] - indices[b]);
    order.set(slots, i * k);
  }
  const tStart = new Int32Array(n + 1);
  for (let e = 0; e < n * k; e++) tStart[indices[e] + 1]++;
  for (let i = 0; i < n; i++) tStart[i + 1] += tStart[i];
  const tCols = new Int32Array(n * k);
  const tVals = new Float64Array(n * k);
  const fill = tStart.slice(0, n);
  for (let i = 0; i < n; i++) {
    for (let m = 0; m < k; m++) {
      const j = indices[i * k + m];
      tCols[fill[j]] = i;
      tVals[fill[j]++] = conditional[i * k + m];
    }
  }
  const start = new Int32Array(n + 1);
  const cols = new Int32Array(2 * n * k);
  const vals = new Float64Array(2 * n * k);
  const scale = 1 / (2 * n);
  let e = 0;
  for (let i = 0; i < n; i++) {
    let a = i * k;
    let b = tStart[i];
    const [aEnd, bEnd] = [(i + 1) * k, tStart[i + 1]];
    while (a < aEnd || b < bEnd) {
      const ja = a < aEnd ? indices[order[a]] : n;
      const jb = b < bEnd ? tCols[b] : n;
      const j = Math.min(ja, jb);
      let p = 0;
      if (ja === j) p += conditional[order[a++]];
      if (jb === j) p += tVals[b++];
      cols[e] = j;
      vals[e++] = p * scale;
    }
    start[i + 1] = e;
  }
  return { start, cols: cols.slice(0, e), vals: vals.slice(0, e) };
}

/**
 * The exact gradient into `grad`, with W [N·N] as scratch for (1 + ‖y_i − y_j‖²)⁻¹; returns KL(P ‖ Q)
 * when asked (else 0). P is scaled by `exaggeration`.
 */
function exactGradient(
  P: Float64Array, W: Float64Array, Y: Float64Array, grad: Float64Array, exaggeration: number, wantKl: boolean,
): number {
  const n = Y.length / 2;
  let Z = 0;
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const w = 1 / (1 + (Y[2 * i] - Y[2 * j]) ** 2 + (Y[2 * i + 1] - Y[2 * j + 1]) ** 2);
      W[i * n + j] = W[j * n + i] = w;
      Z += 2 * w;
    }
  }
  grad.fill(0);
  let kl = 0;
  for (let i = 0; i < n; i++) {
    let [gx, gy] = [0, 0];
    for (let j = 0; j < n; j++) {
      if (j === i) continue;
      const w = W[i * n + j];
      const p = P[i * n + j];
      const f = (exaggeration * p - w / Z) * w;
      gx += f * (Y[2 * i] - Y[2 * j]);
      gy += f * (Y[2 * i + 1] - Y[2 * j + 1]);
      if (wantKl) kl += exaggeration * p * Math.log((exaggeration * p) / Math.max(w / Z, Number.MIN_VALUE));
    }
    grad[2 * i] = 4 * gx;
    grad[2 * i + 1] = 4 * gy;
  }
  return kl;
}

/**
 * A point quadtree over the map, rebuilt each iteration in flat typed arrays: per cell its centre and
 * half-width, the number of points under it and their centre of mass, its first child (four in a row,
 * or −1 for a leaf) and, for a leaf, the point it holds. Points at one position share a leaf.
 */
class QuadTree {
  private capacity: number;
  centreX!: Float64Array;
  centreY!: Float64Array;
  half!: Float64Array;
  massX!: Float64Array;
  massY!: Float64Array;
  count!: Int32Array;
  child!: Int32Array;
  point!: Int32Array;
  size = 0;

  constructor(n: number) {
    this.capacity = 4 * n + 16;
    this.allocate(this.capacity);
  }

  private allocate(capacity: number): void {
    const grow = <T extends Float64Array | Int32Array>(old: T | undefined, make: (c: number) => T): T => {
      const fresh = make(capacity);
      if (old) fresh.set(old.subarray(0, this.size));
      return fresh;
    };
    const f64 = (c: number) => new Float64Array(c);
    const i32 = (c: number) => new Int32Array(c);
    this.centreX = grow(this.centreX, f64);
    this.centreY = grow(this.centreY, f64);
    this.half = grow(this.half, f64);
    this.massX = grow(this.massX, f64);
    this.massY = grow(this.massY, f64);
    this.count = grow(this.count, i32);
    this.child = grow(this.child, i32);
    this.point = grow(this.point, i32);
    this.capacity = capacity;
  }

  private cell(cx: number, cy: number, half: number): number {
    const c = this.size++;
    this.centreX[c] = cx;
    this.centreY[c] = cy;
    this.half[c] = half;
    this.massX[c] = 0;
    this.massY[c] = 0;
    this.count[c] = 0;
    this.child[c] = -1;
    this.point[c] = -1;
    return c;
  }

  build(Y: Float64Array): void {
    const n = Y.length / 2;
    let [minX, minY, maxX, maxY] = [Infinity, Infinity, -Infinity, -Infinity];
    for (let i = 0; i < n; i++) {
      minX = Math.min(minX, Y[2 * i]);
      maxX = Math.max(maxX, Y[2 * i]);
      minY = Math.min(minY, Y[2 * i + 1]);
      maxY = Math.max(maxY, Y[2 * i + 1]);
    }
    this.size = 0;
    const half = Math.max(maxX - minX, maxY - minY) / 2 + 1e-5;
    this.cell((minX + maxX) / 2, (minY + maxY) / 2, half);
    for (let i = 0; i < n; i++) this.insert(Y, i);
  }

  private insert(Y: Float64Array, i: number): void {
    // One insertion splits at most MAX_DEPTH cells: room for all their children first, so the arrays
    // held below stay the live ones.
    if (this.size + 4 * (MAX_DEPTH + 2) > this.capacity) this.allocate(2 * this.capacity);
    const x = Y[2 * i];
    const y = Y[2 * i + 1];
    const { massX, massY, count, child, point, centreX, centreY } = this;
    let c = 0;
    for (let depth = 0; ; depth++) {
      const k = count[c];
      massX[c] = (massX[c] * k + x) / (k + 1);
      massY[c] = (massY[c] * k + y) / (k + 1);
      count[c] = k + 1;
      if (child[c] < 0) {
        if (k === 0) {
          point[c] = i;
          return;
        }
        const p = point[c];
        const px = Y[2 * p];
        const py = Y[2 * p + 1];
        // The same position (or cells too small to split further): share the leaf.
        if ((px === x && py === y) || depth > MAX_DEPTH) return;
        const first = this.split(c);
        // The points that were here (all at one position) move down into their quadrant.
        const q = first + (px > centreX[c] ? 1 : 0) + (py > centreY[c] ? 2 : 0);
        massX[q] = px;
        massY[q] = py;
        count[q] = k;
        point[q] = p;
        point[c] = -1;
      }
      c = child[c] + (x > centreX[c] ? 1 : 0) + (y > centreY[c] ? 2 : 0);
    }
  }

  /** Gives leaf c four empty children; returns the first. */
  private split(c: number): number {
    const h = this.half[c] / 2;
    const [cx, cy] = [this.centreX[c], this.centreY[c]];
    const first = this.cell(cx - h, cy - h, h);
    this.cell(cx + h, cy - h, h);
    this.cell(cx - h, cy + h, h);
    this.cell(cx + h, cy + h, h);
    this.child[c] = first;
    return first;
  }
}

/**
 * The Barnes-Hut gradient (van der Maaten 2014): attraction over P's nonzeros exactly, repulsion
 * −4·Σ_j q_ij·w_ij·(y_i − y_j) with w = (1 + d²)⁻¹, q = w/Z, where a cell of width s at distance r from
 * y_i with s/r < θ stands for its points at their centre of mass. Returns KL(P ‖ Q) when asked, with
 * Z from the same approximation.
 */
function bhGradient(
  P: SparseP, tree: QuadTree, Y: Float64Array, grad: Float64Array, exaggeration: number, theta: number, wantKl: boolean,
): number {
  const n = Y.length / 2;
  tree.build(Y);
  const { half, massX, massY, count, child, point } = tree;
  const theta2 = theta * theta;
  const stack = new Int32Array(4 * (MAX_DEPTH + 4));
  let Z = 0;
  for (let i = 0; i < n; i++) {
    const x = Y[2 * i];
    const y = Y[2 * i + 1];
    let rx = 0;
    let ry = 0;
    let top = 0;
    stack[top++] = 0;
    while (top > 0) {
      const c = stack[--top];
      const dx = x - massX[c];
      const dy = y - massY[c];
      const d2 = dx * dx + dy * dy;
      const first = child[c];
      if (first < 0 || 4 * half[c] * half[c] < theta2 * d2) {
        // A leaf at y_i's own position holds y_i itself (and any duplicates, at distance 0).
        const p = first < 0 ? point[c] : -1;
        const own = p >= 0 && Y[2 * p] === x && Y[2 * p + 1] === y ? 1 : 0;
        const w = 1 / (1 + d2);
        const m = (count[c] - own) * w;
        Z += m;
        rx += m * w * dx;
        ry += m * w * dy;
      } else {
        // Only the children that hold points.
        if (count[first] > 0) stack[top++] = first;
        if (count[first + 1] > 0) stack[top++] = first + 1;
        if (count[first + 2] > 0) stack[top++] = first + 2;
        if (count[first + 3] > 0) stack[top++] = first + 3;
      }
    }
    grad[2 * i] = rx;
    grad[2 * i + 1] = ry;
  }
  const { start, cols, vals } = P;
  let kl = 0;
  for (let i = 0; i < n; i++) {
    const x = Y[2 * i];
    const y = Y[2 * i + 1];
    let ax = 0;
    let ay = 0;
    for (let e = start[i]; e < start[i + 1]; e++) {
      const j = cols[e];
      const dx = x - Y[2 * j];
      const dy = y - Y[2 * j + 1];
      const w = 1 / (1 + dx * dx + dy * dy);
      const p = exaggeration * vals[e];
      ax += p * w * dx;
      ay += p * w * dy;
      if (wantKl && p > 0) kl += p * Math.log(p / (w / Z));
    }
    grad[2 * i] = 4 * (ax - grad[2 * i] / Z);
    grad[2 * i + 1] = 4 * (ay - grad[2 * i + 1] / Z);
  }
  return kl;
}
