// The helpers every op family uses: declaring an op, turning plain values into graph constants,
// applying an op to get its output variables, and the broadcasting rule of type checks.
import { array, NDArray, type DType, type Nested, type TypedArray } from '../ndarray/index.js';
import { applyOp, Constant, Variable, type AnyOp, type Attrs, type Op } from '../graph/variable.js';
import type { StaticShape, TensorType } from '../graph/type.js';
import type { TensorLikeOf } from '../graph/variable-methods.js';

/** Anything an op accepts where a tensor is expected: plain numbers and arrays become constants. */
export type TensorLike = TensorLikeOf<Variable>;

/** Declares an op. The returned object is the op's whole meaning; backends add kernels by its name. */
export function defineOp<A extends Attrs, N extends string>(op: Op<A, N>): Op<A, N> {
  return Object.freeze(op);
}

/** A family's ops keyed by their own names: what the family exports and `allOps` spreads. */
export function opTable<const T extends readonly AnyOp[]>(...ops: T): { [O in T[number] as O['name']]: O } {
  return Object.fromEntries(ops.map((op) => [op.name, op])) as { [O in T[number] as O['name']]: O };
}

/**
 * `value` as a variable. Arrays take `dtype` when given. A plain number takes `dtype` when that is a
 * float (so `W.mul(0.13)` keeps float32), else int32 for integers and float32 otherwise.
 */
export function asVariable(value: TensorLike, dtype?: DType): Variable {
  if (value instanceof Variable) return value;
  if (value instanceof NDArray) return new Constant(value);
  if (typeof value === 'number' || typeof value === 'boolean') {
    const n = Number(value);
    const chosen: DType = dtype && dtype !== 'int32' ? dtype : Number.isInteger(n) ? (dtype ?? 'int32') : 'float32';
    return new Constant(array(n, chosen));
  }
  return new Constant(array(value as Nested | TypedArray, dtype));
}

/** Converts several operands together: numbers adopt the dtype of the first float operand among them. */
export function asVariables(values: readonly TensorLike[]): Variable[] {
  const vars = values.map((v) => (v instanceof Variable ? v : v instanceof NDArray ? new Constant(v) : undefined));
  const floatVar = vars.find((v) => v && v.dtype !== 'int32');
  const like = floatVar?.dtype ?? vars.find((v) => v)?.dtype;
  // Literal arrays take a float operand's dtype, never an int one (0.5 must not truncate).
  return values.map((v, i) => vars[i] ?? asVariable(v, typeof v === 'number' || like !== 'int32' ? like : undefined));
}

/** Applies an op with one output. */
export function apply1<A extends Attrs>(op: Op<A>, inputs: readonly Variable[], attrs: A): Variable {
  return applyOp(op, inputs, attrs).outputs[0];
}

/** An error for a type rule: `op: x is float32[2, 3] and y is ...; reason`. */
export function typeError(
  op: string, names: readonly string[], types: readonly { toString(): string }[], reason: string,
): Error {
  const described = types.map((t, i) => `${names[i] ?? `input ${i}`} is ${t}`).join(' and ');
  return new Error(`${op}: ${described}; ${reason}`);
}

/** The static shape `types` broadcast to, or an error naming the op and both types. */
export function broadcastTypes(op: string, names: readonly string[], types: readonly TensorType[]): StaticShape {
  const rank = Math.max(...types.map((t) => t.rank));
  const out: (number | null)[] = new Array(rank).fill(1);
  types.forEach((t) => {
    const pad = rank - t.rank;
    t.shape.forEach((d, i) => {
      const o = out[pad + i];
      if (o === 1) out[pad + i] = d;
      else if (d !== 1 && d !== null && o !== null && d !== o) {
        throw typeError(op, names, types, `axis ${pad + i} differs (${o} vs ${d}) and neither is 1`);
      } else if (o === null && d !== 1) out[pad + i] = d;
    });
  });
  return out;
}
