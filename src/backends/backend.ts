// The backend interface: a kernel per primitive op, keyed by op name, plus a name for messages.
import type { NDArray } from '../ndarray/index.js';
import type { Attrs } from '../graph/op.js';
import type { Apply } from '../graph/variable.js';
import type { Phase } from '../graph/rewrite.js';
import type { OpName } from '../ops/index.js';

/** Computes a node's outputs from its input values. Inputs are valid by the op's type rule. */
export type Kernel = (inputs: NDArray[], attrs: Attrs, node: Apply) => NDArray[];

/** One kernel for every primitive: tsc names any op a backend leaves out. */
export type KernelTable = Record<OpName, Kernel>;

export interface Backend {
  readonly name: string;
  readonly kernels: KernelTable;
  /** Kernels for compiler-made nodes (fused element-wise loops) that only some backends run. */
  readonly extraKernels?: Readonly<Record<string, Kernel>>;
  /** Compile phases this backend adds after the common ones (element-wise fusion). */
  readonly phases?: readonly Phase[];
}
