// Exact k-nearest neighbours by brute force, the distances from one matrix product per block of rows
// (‖a − b‖² = ‖a‖² + ‖b‖² − 2a·b, the product on the active backend: BLAS on the native one), and the
// leave-one-out k-nearest-neighbour accuracy that measures how well a map keeps classes together.
import { NDArray } from '../ndarray/index.js';
import { matrix } from '../graph/constructors.js';
import { fn } from '../compile/index.js';

export interface Neighbours {
  k: number;
  /** [N·k]: row i's neighbours, nearest first (a point is never its own neighbour). */
  indices: Int32Array;
  /** [N·k]: their squared Euclidean distances, ascending. */
  distances: Float64Array;
}

/** Rows per block: the block's distances to all N points stay near 20 million doubles (160 MB). */
const BLOCK_ELEMENTS = 2e7;

/**
 * The k nearest other rows of each row of x [N, D], by squared Euclidean distance.
 * @example const { indices, distances } = nearestNeighbours(x, 90); // indices[i * 90] is i's nearest
 */
export function nearestNeighbours(x: NDArray, k: number): Neighbours {
  const [n, d] = x.shape;
  if (!Number.isInteger(k) || k < 1 || k > n - 1) throw new Error(`nearestNeighbours: k must be from 1 to N − 1 = ${n - 1}, got ${k}`);
  const data = x.dtype === 'float64' ? x : x.astype('float64');
  const norms = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = 0; j < d; j++) s += data.data[i * d + j] ** 2;
    norms[i] = s;
  }
  const [a, b] = [matrix('a', 'float64'), matrix('b', 'float64')];
  const products = fn([a, b], a.dot(b.T));
  const indices = new Int32Array(n * k);
  const distances = new Float64Array(n * k);
  const heapD = new Float64Array(k);
  const heapI = new Int32Array(k);
  const block = Math.max(1, Math.min(n, Math.floor(BLOCK_ELEMENTS / n)));
  for (let start = 0; start < n; start += block) {
    const end = Math.min(n, start + block);
    const rows = new NDArray('float64', [end - start, d], (data.data as Float64Array).subarray(start * d, end * d));
    const g = (products(rows, data) as NDArray).data;
    for (let i = start; i < end; i++) {
      const offset = (i - start) * n;
      heapD.fill(Infinity);
      heapI.fill(-1);
      const ni = norms[i];
      for (let j = 0; j < n; j++) {
        if (j === i) continue;
        const dist = Math.max(0, ni + norms[j] - 2 * g[offset + j]);
        if (dist < heapD[0]) siftDown(heapD, heapI, dist, j, k);
      }
      // Pop the max-heap from the back: the result ascends.
      for (let m = k - 1; m >= 0; m--) {
        distances[i * k + m] = heapD[0];
        indices[i * k + m] = heapI[0];
        siftDown(heapD, heapI, heapD[m], heapI[m], m);
      }
    }
  }
  return { k, indices, distances };
}

/** Puts (value, index) at the root of the max-heap of the first `size` entries and restores the order. */
function siftDown(heapD: Float64Array, heapI: Int32Array, value: number, index: number, size: number): void {
  let at = 0;
  for (;;) {
    const left = 2 * at + 1;
    if (left >= size) break;
    const right = left + 1;
    const larger = right < size && heapD[right] > heapD[left] ? right : left;
    if (heapD[larger] <= value) break;
    heapD[at] = heapD[larger];
    heapI[at] = heapI[larger];
    at = larger;
  }
  heapD[at] = value;
  heapI[at] = index;
}

/**
 * Leave-one-out k-nearest-neighbour accuracy: the fraction of points whose k nearest others (in x, a map
 * or the data) vote for the point's own label; of tied labels, the one
 * that reached the count first (with the nearer voters) wins.
 * @example knnAccuracy(embedding, labels) // 0.93 for t-SNE of 10,000 MNIST digits
 */
export function knnAccuracy(x: NDArray, labels: ArrayLike<number>, k = 10): number {
  const n = x.shape[0];
  if (labels.length !== n) throw new Error(`knnAccuracy: ${labels.length} labels for ${n} points`);
  const { indices } = nearestNeighbours(x, Math.min(k, n - 1));
  const kk = Math.min(k, n - 1);
  let right = 0;
  const votes = new Map<number, number>();
  for (let i = 0; i < n; i++) {
    votes.clear();
    let best = -1;
    let bestVotes = 0;
    for (let m = 0; m < kk; m++) {
      const label = labels[indices[i * kk + m]];
      const count = (votes.get(label) ?? 0) + 1;
      votes.set(label, count);
      if (count > bestVotes) [best, bestVotes] = [label, count]; // strictly: the nearer label keeps a tie
    }
    if (best === labels[i]) right++;
  }
  return right / n;
}
