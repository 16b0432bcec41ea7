// Shape kernels on the native backend: transposes and broadcasts as strided copies by the native loop;
// the rest is data movement left to the reference kernels (fallbacks.ts).
import { broadcastStrides, stridesOf } from '../../ndarray/index.js';
import type { shapeOps, ShufflePattern } from '../../ops/index.js';
import type { NativeAddon } from './addon.js';
import { copyView } from './elementwise.js';
import type { NativeKernelsFor } from './fallbacks.js';

/** Shape kernels, by op. */
export function shapeKernels(addon: NativeAddon): NativeKernelsFor<typeof shapeOps> {
  return {
    dimshuffle: ([x], attrs, _node, allocate) => {
      const pattern = attrs.pattern as ShufflePattern;
      const strides = stridesOf(x.shape);
      return [copyView(addon, x, pattern.map((p) => (p === 'x' ? 1 : x.shape[p])), pattern.map((p) => (p === 'x' ? 0 : strides[p])), 0, allocate)];
    },
    broadcastLike: ([x, template], _attrs, _node, allocate) => [
      copyView(addon, x, template.shape, broadcastStrides(x.shape, template.shape), 0, allocate),
    ],
  };
}
