// Seeded orderings of examples on the host (the ATIS tutorial reshuffles its sentences every epoch): the
// Philox generator under a stream of its own, so one seed gives the same order everywhere.
import { philoxUniform } from './philox.js';

/** The Philox stream of shuffles, apart from those RandomStreams numbers from 0. */
const SHUFFLE_STREAM = 0x5348_5546;

/**
 * Shuffles `items` in place (Fisher–Yates) with draws from (seed, counter); returns them.
 * @example shuffleInPlace([0, 1, 2, 3], 345, 1) // the same order for the same seed and counter
 */
export function shuffleInPlace<T>(items: T[], seed: number, counter: number): T[] {
  const draws = new Float64Array(items.length);
  philoxUniform(seed, SHUFFLE_STREAM, counter, draws);
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.min(i, Math.floor(draws[i] * (i + 1)));
    [items[i], items[j]] = [items[j], items[i]];
  }
  return items;
}
