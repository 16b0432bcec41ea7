// Method syntax on variables (x.dot(W).add(b).sum()): each method calls the op function of the same name.
import type { DType } from '../ndarray/index.js';
import { Variable } from '../graph/variable.js';
import type { TensorLike } from './define-op.js';
import * as ew from './elementwise.js';
import { argmax, argmin, max, mean, min, prod, sum, variance, type Axes } from './reduce.js';
import { dimshuffle, flatten, reshape, shape, transpose, type ShufflePattern } from './shape.js';
import { dot } from './linalg.js';
import { at, take, type IndexSpec } from './indexing.js';

type Unary = () => Variable;
type Binary = (other: TensorLike) => Variable;
type Reduce = (axis?: Axes, keepdims?: boolean) => Variable;

declare module '../graph/variable.js' {
  interface Variable {
    add: Binary; sub: Binary; mul: Binary; div: Binary; pow: Binary; maximum: Binary; minimum: Binary;
    lt: Binary; gt: Binary; le: Binary; ge: Binary; eq: Binary; neq: Binary;
    /** other - this (for 1 - p) */
    rsub: Binary;
    neg: Unary; abs: Unary; sqrt: Unary; square: Unary; exp: Unary; log: Unary; log1p: Unary;
    tanh: Unary; sigmoid: Unary; softplus: Unary; relu: Unary; sign: Unary;
    sum: Reduce; mean: Reduce; max: Reduce; min: Reduce; prod: Reduce; var: Reduce;
    argmax(axis?: number | null, keepdims?: boolean): Variable;
    argmin(axis?: number | null, keepdims?: boolean): Variable;
    dot(other: TensorLike): Variable;
    /** The transpose (axes reversed). */
    readonly T: Variable;
    /** The shape at run time, as an int32 vector; the static shape is `type.shape`. */
    readonly shape: Variable;
    transpose(perm?: readonly number[]): Variable;
    dimshuffle(pattern: ShufflePattern): Variable;
    reshape(spec: readonly (number | Variable)[] | Variable): Variable;
    flatten(ndim?: number): Variable;
    at(...specs: IndexSpec[]): Variable;
    take(indices: TensorLike, axis?: number): Variable;
    clip(low: TensorLike, high: TensorLike): Variable;
    astype(dtype: DType): Variable;
  }
}

const proto = Variable.prototype as unknown as Record<string, unknown>;
const binaries = ['add', 'sub', 'mul', 'div', 'pow', 'maximum', 'minimum', 'lt', 'gt', 'le', 'ge', 'eq', 'neq'] as const;
for (const name of binaries) proto[name] = function (this: Variable, other: TensorLike) { return ew[name](this, other); };
const unaries = ['neg', 'abs', 'sqrt', 'square', 'exp', 'log', 'log1p', 'tanh', 'sigmoid', 'softplus', 'relu', 'sign'] as const;
for (const name of unaries) proto[name] = function (this: Variable) { return ew[name](this); };
const reductions = { sum, mean, max, min, prod, var: variance };
for (const [name, f] of Object.entries(reductions)) proto[name] = function (this: Variable, axis?: Axes, keepdims?: boolean) { return f(this, axis, keepdims); };

Object.assign(proto, {
  rsub(this: Variable, other: TensorLike) { return ew.sub(other, this); },
  argmax(this: Variable, axis?: number | null, keepdims?: boolean) { return argmax(this, axis, keepdims); },
  argmin(this: Variable, axis?: number | null, keepdims?: boolean) { return argmin(this, axis, keepdims); },
  dot(this: Variable, other: TensorLike) { return dot(this, other); },
  transpose(this: Variable, perm?: readonly number[]) { return transpose(this, perm); },
  dimshuffle(this: Variable, pattern: ShufflePattern) { return dimshuffle(this, pattern); },
  reshape(this: Variable, spec: readonly (number | Variable)[] | Variable) { return reshape(this, spec); },
  flatten(this: Variable, ndim?: number) { return flatten(this, ndim); },
  at(this: Variable, ...specs: IndexSpec[]) { return at(this, ...specs); },
  take(this: Variable, indices: TensorLike, axis?: number) { return take(this, indices, axis); },
  clip(this: Variable, low: TensorLike, high: TensorLike) { return ew.clip(this, low, high); },
  astype(this: Variable, dtype: DType) { return ew.cast(this, dtype); },
});
Object.defineProperty(proto, 'T', { get(this: Variable) { return transpose(this); } });
Object.defineProperty(proto, 'shape', { get(this: Variable) { return shape(this); } });
