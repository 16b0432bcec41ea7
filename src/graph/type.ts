// TensorType: what the graph knows of a value before it exists — its dtype and, per axis, a size or null.
import { formatShape, type DType } from '../ndarray/index.js';

export type StaticShape = readonly (number | null)[];

export class TensorType {
  readonly dtype: DType;
  /** Known sizes; null where the size is only known at call time. A 1 marks a broadcastable axis. */
  readonly shape: StaticShape;

  constructor(dtype: DType, shape: StaticShape) {
    this.dtype = dtype;
    this.shape = Object.freeze([...shape]);
  }

  get rank(): number {
    return this.shape.length;
  }

  /** Theano's broadcastable pattern: an axis broadcasts only when it is known to have size 1. */
  get broadcastable(): boolean[] {
    return this.shape.map((d) => d === 1);
  }

  with(changes: { dtype?: DType; shape?: StaticShape }): TensorType {
    return new TensorType(changes.dtype ?? this.dtype, changes.shape ?? this.shape);
  }

  equals(other: TensorType): boolean {
    return this.dtype === other.dtype && this.rank === other.rank && this.shape.every((d, i) => d === other.shape[i]);
  }

  toString(): string {
    return `${this.dtype}${formatShape(this.shape)}`;
  }
}
