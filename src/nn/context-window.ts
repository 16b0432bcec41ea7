// Context windows of word indices (Deep Learning Tutorial, "Recurrent Neural Networks with Word
// Embeddings"): each word with its neighbours on both sides, padded with -1 beyond the sentence,
// which selects the extra last row of an embedding matrix of vocabulary + 1 rows.
import { NDArray } from '../ndarray/index.js';

/** The index that pads windows past either end of a sentence. */
export const PADDING_INDEX = -1;

/**
 * The window of `window` word indices centred on each word of a sentence, int32 [n, window].
 * @example contextWindows([3, 5, 7], 3).toArray() // [[-1, 3, 5], [3, 5, 7], [5, 7, -1]]
 */
export function contextWindows(words: ArrayLike<number>, window: number): NDArray {
  if (!Number.isInteger(window) || window < 1 || window % 2 === 0) {
    throw new Error(`contextWindows: the window must be an odd positive integer, not ${window}`);
  }
  const n = words.length;
  const half = (window - 1) / 2;
  const out = new NDArray('int32', [n, window]);
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < window; k++) {
      const j = i - half + k;
      out.data[i * window + k] = j >= 0 && j < n ? words[j] : PADDING_INDEX;
    }
  }
  return out;
}
