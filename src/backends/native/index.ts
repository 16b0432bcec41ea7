// The native backend: the C++ addon's kernels (OpenBLAS gemm, fused element-wise loops, im2col
// convolution, pooling, Philox), element-wise fusion when compiling, reference kernels for data movement.
import type { Backend } from '../backend.js';
import { loadAddon } from './addon.js';
import { fusionPhase } from './fuse.js';
import { fusedKernel, nativeKernelTable } from './kernels.js';
import { ThreadGovernor } from './threads.js';

export { referenceFallbacks } from './kernels.js';

export interface NativeLoad {
  backend?: Backend;
  threads?: ThreadGovernor;
  reason?: string;
}

let loaded: NativeLoad | undefined;

/** The native backend, or why it cannot be used (addon not built, or failed to load). */
export function loadNativeBackend(): NativeLoad {
  if (!loaded) {
    const { addon, reason } = loadAddon();
    if (addon) {
      const threads = new ThreadGovernor(addon);
      const kernels = nativeKernelTable(addon);
      loaded = { threads, backend: { name: 'native', kernels, extraKernels: { fusedElementwise: fusedKernel(addon), fusedElementwiseSum: fusedKernel(addon, true) }, fusion: fusionPhase, beginCall: () => threads.tick() } };
    } else {
      loaded = { reason };
    }
  }
  return loaded;
}
