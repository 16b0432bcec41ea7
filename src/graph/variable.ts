// Variables and the Apply nodes that connect them: the symbolic graph itself.
import { NDArray, formatShape } from '../ndarray/index.js';
import type { AnyOp, Attrs } from './op.js';
import { TensorType } from './type.js';

let nextId = 0;

/**
 * A symbolic tensor: an input (no owner), a constant, a shared variable, or an output of an Apply.
 * Methods such as `add`, `dot` and `sum` are attached by ops/methods.ts.
 */
export class Variable {
  readonly id = nextId++;
  readonly type: TensorType;
  readonly owner: Apply | null;
  /** Which output of `owner` this is. */
  readonly index: number;
  name: string | undefined;

  constructor(type: TensorType, owner: Apply | null = null, index = 0, name?: string) {
    this.type = type;
    this.owner = owner;
    this.index = index;
    this.name = name;
  }

  get dtype() {
    return this.type.dtype;
  }

  get ndim(): number {
    return this.type.rank;
  }

  toString(): string {
    return this.name ?? `<${this.type}>`;
  }
}

/** A fixed value baked into the graph. */
export class Constant extends Variable {
  readonly value: NDArray;

  constructor(value: NDArray, name?: string) {
    super(new TensorType(value.dtype, value.shape), null, 0, name);
    this.value = value;
  }

  override toString(): string {
    return this.name ?? (this.value.size === 1 ? String(this.value.data[0]) : `const${formatShape(this.value.shape)}`);
  }
}

export interface SharedOptions {
  /** Let `set` change the shape (the graph then knows no sizes, only ones that broadcast). */
  resizable?: boolean;
}

/**
 * State that persists between calls of compiled functions (weights, persistent chains, counters).
 * Its shape is fixed unless created `resizable`.
 */
export class SharedVariable extends Variable {
  private storage: NDArray;
  /** The update a compiled function applies when the user gives none (random stream counters). */
  defaultUpdate: Variable | undefined;

  constructor(value: NDArray, name?: string, options: SharedOptions = {}) {
    const shape = options.resizable ? value.shape.map((d) => (d === 1 ? 1 : null)) : value.shape;
    super(new TensorType(value.dtype, shape), null, 0, name);
    this.storage = value.clone();
  }

  /** A copy of the current value. */
  get(): NDArray {
    return this.storage.clone();
  }

  /** The live value, without a copy: backends and compiled functions read and write it in place. */
  get value(): NDArray {
    return this.storage;
  }

  /** Replaces the value; its dtype must match, and its shape too unless the variable is resizable. */
  set(value: NDArray): void {
    const where = `shared variable ${this.name ?? this.id}`;
    if (value.dtype !== this.dtype) throw new Error(`${where} is ${this.type}; cannot set a ${value.dtype} value`);
    const fits = value.rank === this.ndim && this.type.shape.every((d, i) => d === null || d === value.shape[i]);
    if (!fits) throw new Error(`${where} is ${this.type}; cannot set a value of shape ${formatShape(value.shape)}`);
    this.storage = value.clone();
  }

  /**
   * Takes `value` as the new storage without copying and returns the old one: compiled functions swap
   * in the buffer an update was computed into and reuse the old buffer for the next call.
   */
  swap(value: NDArray): NDArray {
    const old = this.storage;
    this.storage = value;
    return old;
  }

  override toString(): string {
    return this.name ?? `shared${this.id}`;
  }
}

/** One application of an op to input variables, producing output variables. */
export class Apply {
  readonly op: AnyOp;
  readonly inputs: readonly Variable[];
  readonly attrs: Attrs;
  readonly outputs: Variable[];

  constructor(op: AnyOp, inputs: readonly Variable[], attrs: Attrs, outputTypes: readonly TensorType[]) {
    this.op = op;
    this.inputs = inputs;
    this.attrs = attrs;
    this.outputs = outputTypes.map((t, i) => new Variable(t, this, i));
  }
}

/** Applies `op` to `inputs`: runs its type rule (which throws on a mismatch) and returns the node. */
export function applyOp(op: AnyOp, inputs: readonly Variable[], attrs: Attrs = {}): Apply {
  const types = op.type(
    inputs.map((v) => v.type),
    attrs,
  );
  return new Apply(op, inputs, attrs, types);
}

export function isInput(v: Variable): boolean {
  return v.owner === null && !(v instanceof Constant) && !(v instanceof SharedVariable);
}
