// The native backend: the C++ addon's kernels (OpenBLAS gemm, fused element-wise loops, im2col
// convolution, pooling, Philox), element-wise fusion when compiling, reference kernels for data movement.
import type { Backend, Kernel, KernelTable } from '../backend.js';
import { referenceKernels } from '../reference/index.js';
import { loadAddon, type NativeAddon } from './addon.js';
import { referenceFallbacks, type NativeKernelTable, type ReferenceFallback } from './fallbacks.js';
import { fusionPhase } from './fuse.js';
import { elementwiseKernels, fusedKernel } from './elementwise.js';
import { reduceKernels } from './reduce.js';
import { shapeKernels } from './shape.js';
import { linalgKernels } from './linalg.js';
import { indexingKernels } from './indexing.js';
import { nnetKernels } from './nnet.js';
import { convKernels } from './conv.js';
import { randomKernels } from './random.js';
import { ThreadGovernor } from './threads.js';
import { initialChoice, type ChoiceSource, type GemmChoice } from './kernel-choice.js';
import { initialThreads, type ThreadChoice, type ThreadSource } from './thread-choice.js';

export { referenceFallbacks } from './fallbacks.js';

export interface NativeLoad {
  backend?: Backend;
  threads?: ThreadGovernor;
  addon?: NativeAddon;
  /** The addon file loaded (the widest SIMD level built). */
  addonPath?: string;
  /** The gemm kernel of each shape class, and where that choice came from. */
  gemm?: { choice: GemmChoice; source: ChoiceSource };
  /** From how many elements each loop family takes several threads, a convolution's threads, and why. */
  parallel?: { choice: ThreadChoice; source: ThreadSource };
  reason?: string;
}

function nativeKernelTable(addon: NativeAddon): KernelTable {
  const own: NativeKernelTable = {
    ...elementwiseKernels(addon), ...reduceKernels(addon), ...shapeKernels(addon), ...linalgKernels(addon),
    ...indexingKernels(addon), ...nnetKernels(addon), ...convKernels(addon), ...randomKernels(addon),
  };
  const fallbacks = Object.fromEntries(
    referenceFallbacks.map((name) => [name, referenceKernels[name]]),
  ) as Record<ReferenceFallback, Kernel>;
  return { ...fallbacks, ...own };
}

let loaded: NativeLoad | undefined;

/**
 * The native backend, or why it cannot be used (addon not built, or failed to load). The first call sets the
 * gemm kernels (kernel-choice.ts) and the kernels' thread sizes (thread-choice.ts), measuring them on a machine seen
 * for the first time unless `measure` is false.
 */
export function loadNativeBackend(measure = true): NativeLoad {
  if (!loaded) {
    const { addon, path, reason } = loadAddon();
    if (addon) {
      const threads = new ThreadGovernor(addon);
      const kernels = nativeKernelTable(addon);
      const gemm = initialChoice(addon, { measure });
      const parallel = initialThreads(addon, { measure });
      loaded = { threads, addon, addonPath: path, gemm, parallel, backend: { name: 'native', kernels, extraKernels: { fusedElementwise: fusedKernel(addon), fusedElementwiseSum: fusedKernel(addon, true) }, fusion: fusionPhase, beginCall: () => threads.tick() } };
    } else {
      loaded = { reason };
    }
  }
  return loaded;
}
