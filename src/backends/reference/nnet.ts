// Softmax and log-softmax along the last axis, max-subtracted so that large inputs stay finite.
import { NDArray } from '../../ndarray/index.js';
import type { Kernel } from '../backend.js';

function rowwise(log: boolean): Kernel {
  return ([x]) => {
    const out = new NDArray(x.dtype, x.shape);
    const cols = x.shape[x.rank - 1];
    const rows = cols === 0 ? 0 : x.size / cols;
    const xs = x.data;
    for (let r = 0; r < rows; r++) {
      const base = r * cols;
      let max = -Infinity;
      for (let j = 0; j < cols; j++) max = Math.max(max, xs[base + j]);
      let total = 0;
      for (let j = 0; j < cols; j++) total += Math.exp(xs[base + j] - max);
      const logTotal = Math.log(total);
      for (let j = 0; j < cols; j++) {
        const shifted = xs[base + j] - max;
        out.data[base + j] = log ? shifted - logTotal : Math.exp(shifted) / total;
      }
    }
    return [out];
  };
}

export const softmaxKernel = rowwise(false);
export const logSoftmaxKernel = rowwise(true);
