// NDArray: a contiguous row-major buffer with a shape and a dtype. Kernels read `data` directly.
import { allocate, arrayConstructor, dtypeOfArray, isDType, saturateToInt32, type DType, type TypedArray } from './dtype.js';
import { formatShape, sizeOf, stridesOf, type Shape } from './shape.js';

export type Nested = number | boolean | readonly Nested[];

export class NDArray {
  readonly dtype: DType;
  readonly shape: readonly number[];
  readonly data: TypedArray;

  constructor(dtype: DType, shape: Shape, data?: TypedArray) {
    const size = sizeOf(shape);
    if (shape.some((d) => !Number.isInteger(d) || d < 0)) {
      throw new Error(`NDArray: shape ${formatShape(shape)} must hold non-negative integers`);
    }
    if (data && data.length !== size) {
      throw new Error(`NDArray: ${data.length} values do not fill shape ${formatShape(shape)} (${size} needed)`);
    }
    if (data && dtypeOfArray(data) !== dtype) {
      throw new Error(`NDArray: a ${data.constructor.name} cannot hold ${dtype}`);
    }
    this.dtype = dtype;
    this.shape = Object.freeze([...shape]);
    this.data = data ?? allocate(dtype, size);
  }

  /**
   * A view of `data`, which the caller has checked fills `shape` (frozen, shared by many views): no
   * copy and no checks, for the rows a loop reads at every step.
   */
  static trustedView(dtype: DType, shape: readonly number[], data: TypedArray): NDArray {
    const view = Object.create(NDArray.prototype) as { -readonly [K in 'dtype' | 'shape' | 'data']: NDArray[K] };
    view.dtype = dtype;
    view.shape = shape;
    view.data = data;
    return view as NDArray;
  }

  get rank(): number {
    return this.shape.length;
  }

  get size(): number {
    return this.data.length;
  }

  get strides(): number[] {
    return stridesOf(this.shape);
  }

  /** The element at a full index (negative indices count from the end). */
  get(...index: number[]): number {
    if (index.length !== this.rank) {
      throw new Error(`NDArray.get: ${index.length} indices for an array of rank ${this.rank}`);
    }
    let flat = 0;
    const strides = this.strides;
    index.forEach((i, d) => {
      const n = this.shape[d];
      const j = i < 0 ? i + n : i;
      if (j < 0 || j >= n) throw new Error(`NDArray.get: index ${i} is out of range for axis ${d} of size ${n}`);
      flat += j * strides[d];
    });
    return this.data[flat];
  }

  /** Nested arrays (a number for rank 0). */
  toArray(): Nested {
    const build = (dim: number, offset: number): Nested => {
      if (dim === this.rank) return this.data[offset];
      const stride = this.strides[dim];
      return Array.from({ length: this.shape[dim] }, (_, i) => build(dim + 1, offset + i * stride));
    };
    return build(0, 0);
  }

  /** The single value of a one-element array. */
  item(): number {
    if (this.size !== 1) throw new Error(`NDArray.item: array of shape ${formatShape(this.shape)} has ${this.size} elements`);
    return this.data[0];
  }

  clone(): NDArray {
    return new NDArray(this.dtype, this.shape, this.data.slice());
  }

  reshape(shape: Shape): NDArray {
    return new NDArray(this.dtype, shape, this.data);
  }

  astype(dtype: DType): NDArray {
    if (dtype === this.dtype) return this.clone();
    const out = allocate(dtype, this.size);
    if (dtype === 'int32') for (let i = 0; i < out.length; i++) out[i] = saturateToInt32(this.data[i]);
    else out.set(this.data);
    return new NDArray(dtype, this.shape, out);
  }

  toString(): string {
    return `NDArray(${this.dtype}${formatShape(this.shape)}, ${JSON.stringify(this.toArray())})`;
  }
}

function nestedShape(values: Nested): number[] {
  const shape: number[] = [];
  let v: Nested = values;
  while (Array.isArray(v)) {
    shape.push(v.length);
    v = (v as readonly Nested[])[0] as Nested;
    if (v === undefined) break;
  }
  return shape;
}

function flattenNested(values: Nested, shape: number[], out: number[], dim = 0): void {
  if (dim === shape.length) {
    if (typeof values !== 'number' && typeof values !== 'boolean') {
      throw new Error(`array: ragged nested array (expected a number at depth ${dim})`);
    }
    out.push(Number(values));
    return;
  }
  if (!Array.isArray(values) || values.length !== shape[dim]) {
    throw new Error(`array: ragged nested array (expected ${shape[dim]} entries at depth ${dim})`);
  }
  for (const v of values as readonly Nested[]) flattenNested(v, shape, out, dim + 1);
}

/**
 * An NDArray from nested arrays, a typed array with its shape, or another NDArray (copied, cast to `dtype`).
 * @example nb.array([[1, 2], [3, 4]]) // float32[2, 2]
 */
export function array(values: Nested | TypedArray | NDArray, dtype?: DType, shape?: Shape): NDArray {
  if (dtype !== undefined && !isDType(dtype)) throw new Error(`array: unknown dtype ${String(dtype)}`);
  if (values instanceof NDArray) {
    const a = values.astype(dtype ?? values.dtype);
    return shape ? a.reshape(shape) : a;
  }
  if (ArrayBuffer.isView(values)) {
    const typed = values as TypedArray;
    const dt = dtype ?? dtypeOfArray(typed);
    const data = dt === dtypeOfArray(typed) ? typed : dt === 'int32' ? Int32Array.from(typed, saturateToInt32) : new (arrayConstructor(dt))(typed);
    return new NDArray(dt, shape ?? [typed.length], data);
  }
  const inferred = nestedShape(values);
  const flat: number[] = [];
  flattenNested(values, inferred, flat);
  const dt = dtype ?? 'float32';
  const data = allocate(dt, flat.length);
  if (dt === 'int32') flat.forEach((v, i) => (data[i] = saturateToInt32(v)));
  else data.set(flat);
  return new NDArray(dt, shape ?? inferred, data);
}

export function zeros(shape: Shape, dtype: DType = 'float32'): NDArray {
  return new NDArray(dtype, shape);
}

export function full(shape: Shape, value: number, dtype: DType = 'float32'): NDArray {
  const a = new NDArray(dtype, shape);
  a.data.fill(value);
  return a;
}

export function ones(shape: Shape, dtype: DType = 'float32'): NDArray {
  return full(shape, 1, dtype);
}
