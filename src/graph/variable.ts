// Variables, the ops that compute them and the Apply nodes that connect them: the symbolic graph itself.
import { NDArray, formatShape } from '../ndarray/index.js';
import { TensorType } from './type.js';
import { VariableMethods, type MethodOps } from './variable-methods.js';

/** Attributes are plain JSON values so that equal nodes can be recognised by their key. */
export type Attrs = Record<string, unknown>;

/**
 * Reverse mode as a function, handed to the gradients of ops with an inner graph (scan): the gradients
 * of `wrt` given the gradients `seeds` of some variables (null where a target is not reached).
 */
export type VectorJacobian = (
  seeds: readonly (readonly [Variable, Variable])[], wrt: readonly Variable[],
) => (Variable | null)[];

export interface Op<A extends Attrs = Attrs, N extends string = string> {
  readonly name: N;
  /** Names of the inputs, used in error messages (`dot: x is float32[20, 784] and W is ...`). */
  readonly inputs: readonly string[];
  /** The output types from the input types; throws, naming the op and inputs, on a mismatch. */
  type(inputs: readonly TensorType[], attrs: A): TensorType[];
  /**
   * Gradients of the inputs as graphs, given the output gradients (null where an output has none).
   * Returns null for an input with no gradient. Absent for ops that are not differentiable. `vjp`
   * differentiates an inner graph, and `wanted` says which inputs' gradients the cost needs (only scan's
   * gradient uses them: it computes no others).
   */
  grad?(
    inputs: readonly Variable[], outputs: readonly Variable[], outputGrads: readonly (Variable | null)[], attrs: A,
    vjp: VectorJacobian, wanted: readonly boolean[],
  ): (Variable | null)[];
  /** Draws random numbers: never folded as a constant nor merged with an equal-looking node. */
  readonly random?: boolean;
  /** Computes each output element from the same-position input elements (fusable). */
  readonly elementwise?: boolean;
  /**
   * Inputs broadcast against the output: `grad` may return an input's gradient at the broadcast shape,
   * and reverse mode sums it back to the input's type (as PyTorch's engine does).
   */
  readonly broadcasts?: boolean;
  /**
   * An input the kernel may overwrite with its output (same type and shape) when the compiled function
   * hands it that input's storage: Theano's destroy_map, used for in-place updates (compile/in-place.ts).
   */
  readonly inPlaceInput?: number;
  /** Indices of inputs whose values the kernel never reads (only their shapes). */
  readonly shapeOnlyInputs?: readonly number[];
}

export type AnyOp = Op<any, string>; // eslint-disable-line @typescript-eslint/no-explicit-any

let nextId = 0;

/** The id the next variable will get: every variable made from now on has an id at least this (scan's step). */
export function nextVariableId(): number {
  return nextId;
}

// What the methods call lives in lower layers, which hand it over when they load: ops/index.ts the op
// functions behind x.add(y), x.sum(), ..., compile/index.ts the compiler behind x.eval().
let methodOps: MethodOps<Variable> | undefined;
let evaluate: ((x: Variable) => NDArray | number) | undefined;

/** Gives Variable's methods (x.add(y), x.dot(W), x.sum(), ...) their op functions; ops/index.ts calls it. */
export function provideMethodOps(ops: MethodOps<Variable>): void {
  methodOps = ops;
}

/** Gives `x.eval()` the function that compiles and runs an expression; compile/index.ts calls it. */
export function provideEval(evaluator: (x: Variable) => NDArray | number): void {
  evaluate = evaluator;
}

function notLoaded(what: string, layer: 'ops' | 'compile'): never {
  const index = `src/${layer}/index.ts`;
  throw new Error(`${what} that ${index} provides, and nothing has imported it yet: import nabla (src/index.ts) or ${index} first`);
}

/**
 * A variable whose static type says it is 0-dimensional (`nb.nll`, `nb.mean` over all axes): a
 * compiled function returns its value as a number (compile/fn.ts). Only a type; at run time it is a Variable.
 */
export type ScalarVariable = Variable & { readonly ndim: 0 };

/**
 * A symbolic tensor: an input (no owner), a constant, a shared variable, or an output of an Apply.
 * Its methods (`add`, `dot`, `sum`, `T`, ...) are in variable-methods.ts.
 */
export class Variable extends VariableMethods<Variable> {
  readonly id = nextId++;
  readonly type: TensorType;
  readonly owner: Apply | null;
  /** Which output of `owner` this is. */
  readonly index: number;
  name: string | undefined;

  constructor(type: TensorType, owner: Apply | null = null, index = 0, name?: string) {
    super();
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

  /** Computes this expression (it must need no inputs); a scalar comes back as a number. */
  eval(): NDArray | number {
    return (evaluate ?? notLoaded('x.eval() calls the compiler', 'compile'))(this);
  }

  override toString(): string {
    return this.name ?? `<${this.type}>`;
  }

  protected override get self(): Variable {
    return this;
  }

  protected override get ops(): MethodOps<Variable> {
    return methodOps ?? notLoaded("Variable's methods (x.add(y), x.T, ...) call op functions", 'ops');
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
