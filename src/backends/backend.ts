// The backend interface: a kernel per primitive op, keyed by op name, plus a name for messages.
import { NDArray, type DType } from '../ndarray/index.js';
import type { Attrs } from '../graph/variable.js';
import type { Apply } from '../graph/variable.js';
import type { Phase } from '../graph/rewrite.js';
import type { KernelOpName } from '../ops/index.js';

/**
 * An output array for a kernel to fill: the compiled function hands back last call's buffer when its
 * dtype and size still fit, so steady-state training steps allocate nothing. Contents are arbitrary.
 */
export type Allocate = (dtype: DType, shape: readonly number[], output?: number) => NDArray;

/** New arrays every time: for kernels run outside a compiled function (constant folding). */
export const allocateFresh: Allocate = (dtype, shape) => new NDArray(dtype, shape);

/**
 * Computes a node's outputs from its input values. Inputs are valid by the op's type rule. Outputs are
 * new arrays or ones from `allocate`, never an input itself (inputs may be reused buffers).
 */
export type Kernel = (inputs: NDArray[], attrs: Attrs, node: Apply, allocate: Allocate) => NDArray[];

/** One kernel for every primitive but the compiler's own (scan): tsc names any op a backend leaves out. */
export type KernelTable = Record<KernelOpName, Kernel>;

/** A family's kernels, keyed as the family's ops (`KernelsFor<typeof convOps>`). */
export type KernelsFor<Ops> = Record<keyof Ops, Kernel>;

export interface Backend {
  readonly name: string;
  readonly kernels: KernelTable;
  /** Kernels for compiler-made nodes (fused element-wise loops) that only some backends run. */
  readonly extraKernels?: Readonly<Record<string, Kernel>>;
  /** This backend's element-wise fusion, run as the compile pipeline's fuse phase (none: nothing fuses). */
  readonly fusion?: Phase;
  /** Runs before each call of a compiled function (the native backend adapts its thread count). */
  readonly beginCall?: () => void;
}
