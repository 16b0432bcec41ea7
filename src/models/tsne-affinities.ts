// t-SNE's input affinities: each point's Gaussian over its neighbours, its width found by bisection so
// its perplexity matches the one asked for, then symmetrised: in full (exact t-SNE) or over each point's
// nearest neighbours in compressed rows (Barnes-Hut).
import type { NDArray } from '../ndarray/index.js';
import { nearestNeighbours } from './neighbours.js';

/** Sparse symmetric P in compressed rows: row i's columns cols[start[i]..start[i+1]) with values vals. */
export interface SparseP {
  start: Int32Array;
  cols: Int32Array;
  vals: Float64Array;
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
export function exactAffinities(x: NDArray, perplexity: number): Float64Array {
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
export function sparseAffinities(x: NDArray, perplexity: number): SparseP {
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
