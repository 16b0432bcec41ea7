// Indexing kernels on the native backend: a basic slice as a strided copy by the native loop; advanced
// indexing and increments are left to the reference kernels (fallbacks.ts).
import type { IndexEntry, indexingOps } from '../../ops/index.js';
import { basicView } from '../reference/indexing.js';
import type { NativeAddon } from './addon.js';
import { copyView } from './elementwise.js';
import type { NativeKernelsFor } from './fallbacks.js';

/** Indexing kernels, by op. */
export function indexingKernels(addon: NativeAddon): NativeKernelsFor<typeof indexingOps> {
  return {
    subtensor: ([x, ...bounds], attrs, _node, allocate) => {
      const view = basicView(x.shape, attrs.entries as IndexEntry[], bounds);
      return [copyView(addon, x, view.shape, view.strides, view.offset, allocate)];
    },
  };
}
