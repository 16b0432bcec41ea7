// Annealed importance sampling (Neal 2001; Salakhutdinov and Murray 2008) of the log partition function of
// binary RBMs that share their weights W but each have their own biases (one row of bv, bh per RBM: the
// RBMs of an RNN-RBM's time steps). The path runs from β = 0, where v and h are independent,
//   p*_β(v) = exp(v·bv) Π_j (1 + exp(bh_j + β (v W)_j)),   log Z_0 = Σ softplus(bv) + Σ softplus(bh),
// to β = 1 through `temperatures` evenly spaced steps, `chains` independent runs per RBM, each step a
// Gibbs transition at its β; log Z ≈ log Z_0 + log mean_m exp(log w_m).
import { NDArray } from '../ndarray/index.js';
import { matrix, scalar } from '../graph/constructors.js';
import { sigmoid, softplus, sum } from '../ops/index.js';
import { RandomStreams } from '../random/index.js';
import { fn } from '../compile/index.js';

export interface AisOptions {
  /** Independent annealing runs per RBM. */
  chains?: number;
  /** Intermediate distributions from β = 0 to 1 (the more, the smaller the estimator's bias). */
  temperatures?: number;
  seed?: number;
}

/** Each row repeated `times` times, consecutively. */
function repeatRows(m: NDArray, times: number): NDArray {
  const [rows, width] = m.shape;
  const out = new NDArray('float64', [rows * times, width]);
  for (let r = 0; r < rows; r++) {
    const row = m.data.subarray(r * width, (r + 1) * width);
    for (let k = 0; k < times; k++) out.data.set(row, (r * times + k) * width);
  }
  return out;
}

/** log(1 + e^a), without overflow. */
export const softplusOf = (a: number): number => Math.max(a, 0) + Math.log1p(Math.exp(-Math.abs(a)));

const logSumExp = (xs: ArrayLike<number>, from: number, to: number): number => {
  let max = -Infinity;
  for (let i = from; i < to; i++) max = Math.max(max, xs[i]);
  let total = 0;
  for (let i = from; i < to; i++) total += Math.exp(xs[i] - max);
  return max + Math.log(total);
};

/**
 * AIS estimates of log Z for the RBMs (W [V, H], bv [R, V], bh [R, H]), one per row, in float64.
 * @example aisLogPartition(W, bv, bh, { chains: 100, temperatures: 1000 }) // Float64Array [R]
 */
export function aisLogPartition(W: NDArray, bv: NDArray, bh: NDArray, options: AisOptions = {}): Float64Array {
  const { chains = 100, temperatures = 1000, seed = 1 } = options;
  if (!Number.isInteger(chains) || chains < 1) throw new Error(`AIS: chains must be a positive integer, not ${chains}`);
  if (!Number.isInteger(temperatures) || temperatures < 1) throw new Error(`AIS: temperatures must be a positive integer, not ${temperatures}`);
  const [visible, hidden] = W.shape;
  const rows = bv.shape[0];
  if (bv.shape[1] !== visible || bh.shape[1] !== hidden || bh.shape[0] !== rows) {
    throw new Error(`AIS: biases [${bv.shape}] and [${bh.shape}] do not fit weights [${W.shape}]`);
  }
  const [v, BV, BH, w] = [matrix('v', 'float64'), matrix('bv', 'float64'), matrix('bh', 'float64'), matrix('W', 'float64')];
  const [before, after] = [scalar('before', 'float64'), scalar('after', 'float64')];
  const rng = new RandomStreams(seed);
  const up = v.dot(w);
  const logStar = (beta: typeof before) => sum(v.mul(BV), 1).add(sum(softplus(BH.add(up.mul(beta))), 1));
  const hMean = sigmoid(BH.add(up.mul(after)));
  const h = rng.binomial(hMean.shape, 1, hMean, 'float64');
  const vMean = sigmoid(BV.add(h.dot(w.T).mul(after)));
  const step = fn([v, BV, BH, w, before, after], [logStar(after).sub(logStar(before)), rng.binomial(vMean.shape, 1, vMean, 'float64')], { name: 'ais step' });

  const [biasV, biasH, weights] = [repeatRows(bv.astype('float64'), chains), repeatRows(bh.astype('float64'), chains), W.astype('float64')];
  const logW = new Float64Array(rows * chains);
  // A Gibbs transition at β = 0 draws v from p_0 itself: the start of every run.
  let state = (step(new NDArray('float64', [rows * chains, visible]), biasV, biasH, weights, 0, 0) as NDArray[])[1];
  for (let k = 1; k <= temperatures; k++) {
    const [delta, next] = step(state, biasV, biasH, weights, (k - 1) / temperatures, k / temperatures) as NDArray[];
    for (let i = 0; i < logW.length; i++) logW[i] += delta.data[i];
    state = next;
  }
  const softplusSum = (m: NDArray, r: number) => {
    let total = 0;
    for (let i = r * m.shape[1]; i < (r + 1) * m.shape[1]; i++) total += softplusOf(m.data[i]);
    return total;
  };
  return Float64Array.from({ length: rows }, (_, r) =>
    softplusSum(bv, r) + softplusSum(bh, r) + logSumExp(logW, r * chains, (r + 1) * chains) - Math.log(chains));
}
