// Typed symbolic inputs (matrix, ivector, ...) and shared variables: how users start a graph.
import { array, NDArray, type DType, type Nested, type TypedArray } from '../ndarray/index.js';
import { TensorType, type StaticShape } from './type.js';
import { SharedVariable, Variable, type SharedOptions } from './variable.js';

/** An input of any rank; `shape` entries are sizes or null (unknown until call time). */
export function tensor(name: string | undefined, dtype: DType, shape: StaticShape): Variable {
  return new Variable(new TensorType(dtype, shape), null, 0, name);
}

const ofRank = (rank: number, defaultDType: DType) => (name?: string, dtype: DType = defaultDType) =>
  tensor(name, dtype, new Array(rank).fill(null));

/** A float32 (or `dtype`) scalar input. */
export const scalar = ofRank(0, 'float32');
/** A vector input. @example const y = nb.vector('y') */
export const vector = ofRank(1, 'float32');
/** A matrix input (rows of examples). @example const x = nb.matrix('x') */
export const matrix = ofRank(2, 'float32');
export const tensor3 = ofRank(3, 'float32');
export const tensor4 = ofRank(4, 'float32');
export const iscalar = ofRank(0, 'int32');
export const ivector = ofRank(1, 'int32');
export const imatrix = ofRank(2, 'int32');
/** A float32 row vector that broadcasts over rows ([1, ?]) */
export const row = (name?: string, dtype: DType = 'float32') => tensor(name, dtype, [1, null]);
/** A float32 column vector that broadcasts over columns ([?, 1]) */
export const col = (name?: string, dtype: DType = 'float32') => tensor(name, dtype, [null, 1]);

/**
 * State kept between calls: an NDArray, nested arrays or a number (float32 unless an NDArray says otherwise).
 * @example const W = nb.shared(nb.zeros([784, 10]), 'W')
 */
export function shared(value: NDArray | Nested | TypedArray, name?: string, options?: SharedOptions): SharedVariable {
  return new SharedVariable(value instanceof NDArray ? value : array(value), name, options);
}
