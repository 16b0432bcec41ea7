// Random draws on the native backend: the addon's Philox, the same numbers as the reference kernel.
import type { RandomUniformAttrs, randomOps } from '../../ops/index.js';
import type { FloatArray, NativeAddon } from './addon.js';
import type { NativeKernelsFor } from './fallbacks.js';

/** Random kernels, by op. */
export function randomKernels(addon: NativeAddon): NativeKernelsFor<typeof randomOps> {
  return {
    randomUniform: ([counter, shape], attrs, _node, allocate) => {
      const { seed, stream, dtype } = attrs as RandomUniformAttrs;
      const out = allocate(dtype, Array.from(shape.data));
      addon.philoxUniform(seed, stream, counter.data[0] >>> 0, out.data as FloatArray);
      return [out];
    },
  };
}
