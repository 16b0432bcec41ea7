// Initial weights, drawn host-side from a seeded RandomStreams so that one seed gives the same network
// on every backend (Philox counters, not the backend, decide the numbers).
import type { NDArray } from '../ndarray/index.js';
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
