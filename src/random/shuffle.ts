// Seeded orderings of examples on the host (the ATIS tutorial reshuffles its sentences every epoch): the
// Philox generator under a stream of its own, so one seed gives the same order everywhere.
import { philoxUniform } from './philox.js';

/** The Philox stream of shuffles, apart from those RandomStreams numbers from 0. */
const SHUFFLE_STREAM = 0x5348_5546;

/**
 * Shuffles `items` in place (Fisher–Yates) with draws from (seed, counter) of a Philox stream (the
 * shuffles' own by default); returns them.
 * @example shuffleInPlace([0, 1, 2, 3], 345, 1) // the same order for the same seed and counter
 */
export function shuffleInPlace<T, A extends { length: number; [i: number]: T }>(
  items: A, seed: number, counter: number, stream = SHUFFLE_STREAM,
): A {
  const draws = new Float64Array(items.length);
  philoxUniform(seed, stream, counter, draws);
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.min(i, Math.floor(draws[i] * (i + 1)));
    [items[i], items[j]] = [items[j], items[i]];
  }
  return items;
}
