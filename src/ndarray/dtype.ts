// Element types: the three storage types nabla computes in, and the rules that combine them.
export type DType = 'float32' | 'float64' | 'int32';
export type TypedArray = Float32Array | Float64Array | Int32Array;

export const DTYPES: readonly DType[] = ['float32', 'float64', 'int32'];

export function isDType(name: unknown): name is DType {
  return typeof name === 'string' && (DTYPES as readonly string[]).includes(name);
}

export function isFloat(dtype: DType): boolean {
  return dtype !== 'int32';
}

/** The typed-array constructor that stores `dtype`. */
export function arrayConstructor(
  dtype: DType,
): Float32ArrayConstructor | Float64ArrayConstructor | Int32ArrayConstructor {
  switch (dtype) {
    case 'float32':
      return Float32Array;
    case 'float64':
      return Float64Array;
    case 'int32':
      return Int32Array;
  }
}

export function allocate(dtype: DType, size: number): TypedArray {
  return new (arrayConstructor(dtype))(size);
}

export function dtypeOfArray(data: TypedArray): DType {
  if (data instanceof Float32Array) return 'float32';
  if (data instanceof Float64Array) return 'float64';
  return 'int32';
}

const RANK: Record<DType, number> = { int32: 0, float32: 1, float64: 2 };

/**
 * The dtype of a result combining `dtypes`: the widest of them, in the order int32 < float32 < float64.
 * Unlike NumPy, int32 with float32 stays float32 so that integer labels never widen a float32 model.
 */
export function upcast(...dtypes: DType[]): DType {
  return dtypes.reduce((a, b) => (RANK[b] > RANK[a] ? b : a));
}

/** The float type a float-valued op (exp, mean, div) gives for `dtype`: ints become float32. */
export function floatOf(dtype: DType): DType {
  return dtype === 'int32' ? 'float32' : dtype;
}

export const INT32_MIN = -2147483648;
export const INT32_MAX = 2147483647;

/**
 * A float converted to int32 as JAX (XLA) and the cast op do: toward zero, saturating at the int32
 * range, NaN to 0 — never wrapped modulo 2^32 as a plain Int32Array store would.
 */
export function saturateToInt32(v: number): number {
  if (Number.isNaN(v)) return 0;
  return Math.trunc(Math.min(Math.max(v, INT32_MIN), INT32_MAX));
}
