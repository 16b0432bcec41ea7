// Op: the declaration of one primitive — its name, type rule and gradient. Kernels live in backends/.
import type { TensorType } from './type.js';
import type { Variable } from './variable.js';

/** Attributes are plain JSON values so that equal nodes can be recognised by their key. */
export type Attrs = Record<string, unknown>;

export interface Op<A extends Attrs = Attrs, N extends string = string> {
  readonly name: N;
  /** Names of the inputs, used in error messages (`dot: x is float32[20, 784] and W is ...`). */
  readonly inputs: readonly string[];
  /** The output types from the input types; throws, naming the op and inputs, on a mismatch. */
  type(inputs: readonly TensorType[], attrs: A): TensorType[];
  /**
   * Gradients of the inputs as graphs, given the output gradients (null where an output has none).
   * Returns null for an input with no gradient. Absent for ops that are not differentiable.
   */
  grad?(inputs: readonly Variable[], outputs: readonly Variable[], outputGrads: readonly (Variable | null)[], attrs: A): (Variable | null)[];
  /** Draws random numbers: never folded as a constant nor merged with an equal-looking node. */
  readonly random?: boolean;
  /** Computes each output element from the same-position input elements (fusable). */
  readonly elementwise?: boolean;
  /**
   * An input the kernel may overwrite with its output (same type and shape) when the compiled function
   * hands it that input's storage: Theano's destroy_map, used for in-place updates (compile/in-place.ts).
   */
  readonly inPlaceInput?: number;
  /** Indices of inputs whose values the kernel never reads (only their shapes). */
  readonly shapeOnlyInputs?: readonly number[];
}

export type AnyOp = Op<any, string>; // eslint-disable-line @typescript-eslint/no-explicit-any
