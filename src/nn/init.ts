// Initial weights, drawn host-side from a seeded RandomStreams so that one seed gives the same network
// on every backend (Philox counters, not the backend, decide the numbers).
import { NDArray } from '../ndarray/index.js';
import type { RandomStreams } from '../random/index.js';
import '../compile/index.js';

export type Activation = 'tanh' | 'sigmoid' | 'relu' | 'linear';

export const ACTIVATIONS: readonly Activation[] = ['tanh', 'sigmoid', 'relu', 'linear'];

/**
 * The half-width of the tutorial's uniform initialisation (Glorot & Bengio 2010):
 * sqrt(6 / (fanIn + fanOut)), four times wider for sigmoid, whose slope at 0 is a quarter of tanh's.
 * The tutorial has no rule for other activations and uses tanh's; so do we.
 * @example glorotBound(784, 500, 'tanh') // 0.0684
 */
export function glorotBound(fanIn: number, fanOut: number, activation: Activation): number {
  const bound = Math.sqrt(6 / (fanIn + fanOut));
  return activation === 'sigmoid' ? 4 * bound : bound;
}

/**
 * A float32 array of the given shape, uniform in (-bound, bound).
 * @example uniformWeights(new nb.RandomStreams(1234), [784, 500], glorotBound(784, 500, 'tanh'))
 */
export function uniformWeights(rng: RandomStreams, shape: readonly number[], bound: number): NDArray {
  return rng.uniform([...shape], -bound, bound).eval() as NDArray;
}

/**
 * A random orthogonal matrix [n, n]: the Q of a QR factorisation (Gram–Schmidt, in float64) of a
 * standard normal draw, with Q's columns signed so that R's diagonal is positive, which makes Q uniform
 * over the orthogonal matrices, as the left singular vectors of lstm.py's ortho_weight are.
 * @example orthogonalWeights(new nb.RandomStreams(123), 128) // float32 [128, 128], Qᵀ Q = I
 */
export function orthogonalWeights(rng: RandomStreams, n: number): NDArray {
  const draw = rng.normal([n, n], 0, 1).eval() as NDArray;
  const q = Float64Array.from(draw.data);
  // Columns j of q, orthonormalised one after another against the earlier ones.
  for (let j = 0; j < n; j++) {
    for (let k = 0; k < j; k++) {
      let dot = 0;
      for (let i = 0; i < n; i++) dot += q[i * n + k] * q[i * n + j];
      for (let i = 0; i < n; i++) q[i * n + j] -= dot * q[i * n + k];
    }
    let norm = 0;
    for (let i = 0; i < n; i++) norm += q[i * n + j] ** 2;
    norm = Math.sqrt(norm);
    for (let i = 0; i < n; i++) q[i * n + j] /= norm;
  }
  const out = draw.dtype === 'float32' ? draw : new NDArray('float32', [n, n]);
  out.data.set(Float32Array.from(q));
  return out;
}
