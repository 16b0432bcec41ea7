// Softmax and softmax cross-entropy over rows on the native backend.
import type { NDArray } from '../../ndarray/index.js';
import type { nnetOps } from '../../ops/index.js';
import { checkLabelRows } from '../reference/nnet.js';
import type { FloatArray, NativeAddon } from './addon.js';
import type { NativeKernelsFor } from './fallbacks.js';

/** [rows, cols] of x as a matrix of its last axis. */
function rows(x: NDArray): [number, number] {
  const cols = x.shape[x.rank - 1];
  return [cols === 0 ? 0 : x.size / cols, cols];
}

/** Neural-network kernels, by op. */
export function nnetKernels(addon: NativeAddon): NativeKernelsFor<typeof nnetOps> {
  return {
    softmax: ([x], _attrs, _node, allocate) => {
      const out = allocate(x.dtype, x.shape);
      addon.softmax(x.data as FloatArray, ...rows(x), out.data as FloatArray);
      return [out];
    },
    logSoftmax: ([x], _attrs, _node, allocate) => {
      const out = allocate(x.dtype, x.shape);
      addon.logSoftmax(x.data as FloatArray, ...rows(x), out.data as FloatArray);
      return [out];
    },
    softmaxCrossentropy: ([z, y], _attrs, _node, allocate) => {
      checkLabelRows('softmaxCrossentropy', z, y);
      const loss = allocate(z.dtype, [z.shape[0]]);
      addon.softmaxCrossentropy(
        z.data as FloatArray, y.data as Int32Array, z.shape[0], z.shape[1], loss.data as FloatArray,
      );
      return [loss];
    },
    softmaxCrossentropyGrad: ([g, z, y], _attrs, _node, allocate) => {
      checkLabelRows('softmaxCrossentropyGrad', z, y, g);
      const dz = allocate(z.dtype, z.shape);
      addon.softmaxCrossentropyGrad(
        g.data as FloatArray, z.data as FloatArray, y.data as Int32Array, z.shape[0], z.shape[1], dz.data as FloatArray,
      );
      return [dz];
    },
  };
}
