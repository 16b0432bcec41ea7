// Softmax, log-softmax and softmax cross-entropy along the last axis, max-subtracted so that large
// inputs stay finite.
import { NDArray } from '../../ndarray/index.js';
import type { nnetOps } from '../../ops/index.js';
import type { Kernel, KernelsFor } from '../backend.js';

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

/** Checks that y (and g, for the gradient) hold one entry per row of the [rows, cols] matrix z. */
export function checkLabelRows(op: string, z: NDArray, y: NDArray, g?: NDArray): void {
  if (y.size !== z.shape[0]) throw new Error(`${op}: z has ${z.shape[0]} rows but y has ${y.size} labels`);
  if (g && g.size !== z.shape[0]) throw new Error(`${op}: z has ${z.shape[0]} rows but g has ${g.size} entries`);
}

/** The labels of `y` as column indices of z, checked: the kernels index with them. */
function labelsOf(op: string, z: NDArray, y: NDArray, g?: NDArray): { rows: number; cols: number } {
  checkLabelRows(op, z, y, g);
  const [rows, cols] = z.shape;
  y.data.forEach((label, i) => {
    if (!(label >= 0 && label < cols)) throw new RangeError(`${op}: label ${label} of row ${i} is outside [0, ${cols})`);
  });
  return { rows, cols };
}

/** Calls visit(i, row, max, total) for each row of z, with total = sum exp(row - max). */
function forEachRow(
  z: NDArray, rows: number, cols: number, visit: (i: number, base: number, max: number, total: number) => void,
): void {
  for (let i = 0; i < rows; i++) {
    const base = i * cols;
    let max = -Infinity;
    for (let j = 0; j < cols; j++) max = Math.max(max, z.data[base + j]);
    let total = 0;
    for (let j = 0; j < cols; j++) total += Math.exp(z.data[base + j] - max);
    visit(i, base, max, total);
  }
}

/** Neural-network kernels, by op. */
export const nnetKernels: KernelsFor<typeof nnetOps> = {
  softmax: rowwise(false),
  logSoftmax: rowwise(true),
  softmaxCrossentropy: ([z, y]) => {
    const { rows, cols } = labelsOf('softmaxCrossentropy', z, y);
    const loss = new NDArray(z.dtype, [rows]);
    forEachRow(z, rows, cols, (i, base, max, total) => {
      loss.data[i] = Math.log(total) - (z.data[base + y.data[i]] - max);
    });
    return [loss];
  },
  softmaxCrossentropyGrad: ([g, z, y]) => {
    const { rows, cols } = labelsOf('softmaxCrossentropyGrad', z, y, g);
    const dz = new NDArray(z.dtype, z.shape);
    forEachRow(z, rows, cols, (i, base, max, total) => {
      for (let j = 0; j < cols; j++) dz.data[base + j] = (g.data[i] * Math.exp(z.data[base + j] - max)) / total;
      dz.data[base + y.data[i]] -= g.data[i];
    });
    return [dz];
  },
};
