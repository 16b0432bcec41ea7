// Element-wise ops: one declaration per scalar function, with broadcasting by Theano's rule (an axis
// broadcasts only when known to have size 1); reverse mode sums each gradient back to its input's shape.
import { floatOf, upcast, type DType } from '../ndarray/index.js';
import type { Op } from '../graph/variable.js';
import { TensorType } from '../graph/type.js';
import type { Variable } from '../graph/variable.js';
import { apply1, asVariables, broadcastTypes, defineOp, opTable, type TensorLike } from './define-op.js';

type Grads = (Variable | null)[];

type ResultDType = 'same' | 'float' | 'int32' | ((dtypes: DType[]) => DType);

interface ElementwiseSpec<N extends string> {
  name: N;
  inputs: readonly string[];
  result: ResultDType;
  grad?: (x: readonly Variable[], y: Variable, gy: Variable) => Grads;
}

function resultDType(rule: ResultDType, dtypes: DType[]): DType {
  if (typeof rule === 'function') return rule(dtypes);
  if (rule === 'int32') return 'int32';
  const widest = upcast(...dtypes);
  return rule === 'float' ? floatOf(widest) : widest;
}

function elementwiseOp<const N extends string>(spec: ElementwiseSpec<N>): Op<Record<string, never>, N> {
  const op = defineOp({
    name: spec.name,
    inputs: spec.inputs,
    elementwise: true,
    broadcasts: true,
    type: (types: readonly TensorType[]) => [
      new TensorType(
        resultDType(spec.result, types.map((t) => t.dtype)),
        broadcastTypes(spec.name, spec.inputs, types),
      ),
    ],
    // Ops without a gradient rule (sign, comparisons) are piecewise constant: their gradient is zero.
    grad: (inputs: readonly Variable[], outputs: readonly Variable[], [gy]: readonly (Variable | null)[]): Grads => {
      if (!gy || !spec.grad) return inputs.map(() => null);
      return spec.grad(inputs, outputs[0], gy).map((g, i) => (inputs[i].dtype !== 'int32' ? g : null));
    },
  });
  return op;
}

const unary = <N extends string>(
  name: N, result: ResultDType, grad?: (x: Variable, y: Variable, gy: Variable) => Variable | null,
): Op<Record<string, never>, N> =>
  elementwiseOp({ name, inputs: ['x'], result, grad: grad && (([x], y, gy) => [grad(x, y, gy)]) });

const binary = <N extends string>(
  name: N, result: ResultDType, grad?: (a: Variable, b: Variable, y: Variable, gy: Variable) => Grads,
): Op<Record<string, never>, N> =>
  elementwiseOp({ name, inputs: ['a', 'b'], result, grad: grad && (([a, b], y, gy) => grad(a, b, y, gy)) });

/** The ops the element-wise loops compute from one scalar function each (the backends' scalar tables). */
export const scalarOps = opTable(
  unary('neg', 'same', (_x, _y, gy) => neg(gy)),
  unary('abs', 'same', (x, _y, gy) => mul(gy, sign(x))),
  unary('sign', 'same'),
  unary('sqrt', 'float', (_x, y, gy) => div(mul(gy, 0.5), y)),
  unary('square', 'same', (x, _y, gy) => mul(gy, mul(x, 2))),
  unary('exp', 'float', (_x, y, gy) => mul(gy, y)),
  unary('expm1', 'float', (_x, y, gy) => mul(gy, add(y, 1))),
  unary('log', 'float', (x, _y, gy) => div(gy, x)),
  unary('log1p', 'float', (x, _y, gy) => div(gy, add(x, 1))),
  unary('tanh', 'float', (_x, y, gy) => mul(gy, sub(1, square(y)))),
  unary('sigmoid', 'float', (_x, y, gy) => mul(gy, mul(y, sub(1, y)))),
  unary('softplus', 'float', (x, _y, gy) => mul(gy, sigmoid(x))),
  unary('relu', 'same', (x, _y, gy) => mul(gy, gt(x, 0))),
  // d/dx x / (1 + |x|) = 1 / (1 + |x|)²
  unary('softsign', 'float', (x, _y, gy) => div(gy, square(add(abs(x), 1)))),
  unary('reciprocal', 'float', (_x, y, gy) => neg(mul(gy, square(y)))),
  unary('cos', 'float', (x, _y, gy) => neg(mul(gy, sin(x)))),
  unary('sin', 'float', (x, _y, gy) => mul(gy, cos(x))),
  unary('floor', 'same'),
  unary('not', 'int32'),
  binary('add', 'same', (_a, _b, _y, gy) => [gy, gy]),
  binary('sub', 'same', (_a, _b, _y, gy) => [gy, neg(gy)]),
  binary('mul', 'same', (a, b, _y, gy) => [mul(gy, b), mul(gy, a)]),
  binary('div', 'float', (_a, b, y, gy) => [div(gy, b), neg(div(mul(gy, y), b))]),
  binary('pow', 'float', (a, b, y, gy) => [mul(gy, mul(b, pow(a, sub(b, 1)))), mul(gy, mul(y, log(a)))]),
  binary('maximum', 'same', (a, b, _y, gy) => [mul(gy, ge(a, b)), mul(gy, lt(a, b))]),
  binary('minimum', 'same', (a, b, _y, gy) => [mul(gy, le(a, b)), mul(gy, gt(a, b))]),
  // a mod b = a - b floor(a / b): piecewise linear, not constant.
  binary('mod', 'same', (a, b, _y, gy) => [gy, neg(mul(gy, floor(div(a, b))))]),
  binary('lt', 'int32'),
  binary('gt', 'int32'),
  binary('le', 'int32'),
  binary('ge', 'int32'),
  binary('eq', 'int32'),
  binary('neq', 'int32'),
  binary('and', 'int32'),
  binary('or', 'int32'),
  elementwiseOp({
    name: 'where',
    inputs: ['condition', 'a', 'b'],
    result: ([, a, b]) => upcast(a, b),
    grad: ([c], _y, gy) => [null, where(c, gy, 0), where(c, 0, gy)],
  }),
  elementwiseOp({
    name: 'clip',
    inputs: ['x', 'low', 'high'],
    result: 'same',
    grad: ([x, lo, hi], _y, gy) => [mul(gy, and(ge(x, lo), le(x, hi))), mul(gy, lt(x, lo)), mul(gy, gt(x, hi))],
  }),
);

export type ElementwiseName = keyof typeof scalarOps;

const build =
  (op: Op<Record<string, never>>) =>
  (...args: TensorLike[]): Variable =>
    apply1(op, asVariables(args), {});

/** -x */
export const neg = build(scalarOps.neg);
export const abs = build(scalarOps.abs);
export const sign = build(scalarOps.sign);
export const sqrt = build(scalarOps.sqrt);
export const square = build(scalarOps.square);
export const exp = build(scalarOps.exp);
export const expm1 = build(scalarOps.expm1);
export const log = build(scalarOps.log);
export const log1p = build(scalarOps.log1p);
export const tanh = build(scalarOps.tanh);
/** 1 / (1 + exp(-x)) */
export const sigmoid = build(scalarOps.sigmoid);
/** log(1 + exp(x)), computed without overflow */
export const softplus = build(scalarOps.softplus);
/** max(x, 0) */
export const relu = build(scalarOps.relu);
/** x / (1 + |x|): a tanh-like squashing with polynomial tails (Glorot & Bengio 2010) */
export const softsign = build(scalarOps.softsign);
export const reciprocal = build(scalarOps.reciprocal);
export const cos = build(scalarOps.cos);
export const sin = build(scalarOps.sin);
export const floor = build(scalarOps.floor);
/** 1 where x is 0, else 0 (int32) */
export const not = build(scalarOps.not);

export const add = (a: TensorLike, b: TensorLike): Variable => build(scalarOps.add)(a, b);
export const sub = (a: TensorLike, b: TensorLike): Variable => build(scalarOps.sub)(a, b);
export const mul = (a: TensorLike, b: TensorLike): Variable => build(scalarOps.mul)(a, b);
/** a / b; always a float result, as in Theano's true division */
export const div = (a: TensorLike, b: TensorLike): Variable => build(scalarOps.div)(a, b);
export const pow = (a: TensorLike, b: TensorLike): Variable => build(scalarOps.pow)(a, b);
export const maximum = (a: TensorLike, b: TensorLike): Variable => build(scalarOps.maximum)(a, b);
export const minimum = (a: TensorLike, b: TensorLike): Variable => build(scalarOps.minimum)(a, b);
/** Floored remainder, as Python's % */
export const mod = (a: TensorLike, b: TensorLike): Variable => build(scalarOps.mod)(a, b);
/** Comparisons give int32 ones and zeros. */
export const lt = (a: TensorLike, b: TensorLike): Variable => build(scalarOps.lt)(a, b);
export const gt = (a: TensorLike, b: TensorLike): Variable => build(scalarOps.gt)(a, b);
export const le = (a: TensorLike, b: TensorLike): Variable => build(scalarOps.le)(a, b);
export const ge = (a: TensorLike, b: TensorLike): Variable => build(scalarOps.ge)(a, b);
export const eq = (a: TensorLike, b: TensorLike): Variable => build(scalarOps.eq)(a, b);
export const neq = (a: TensorLike, b: TensorLike): Variable => build(scalarOps.neq)(a, b);
export const and = (a: TensorLike, b: TensorLike): Variable => build(scalarOps.and)(a, b);
export const or = (a: TensorLike, b: TensorLike): Variable => build(scalarOps.or)(a, b);

/**
 * a where condition is non-zero, else b (Theano's switch).
 * @example nb.where(nb.gt(x, 0), x, 0) // relu
 */
export function where(condition: TensorLike, a: TensorLike, b: TensorLike): Variable {
  const [ab0, ab1] = asVariables([a, b]);
  return apply1(scalarOps.where, [asVariables([condition])[0], ab0, ab1], {});
}
export const switch_ = where;

/** x limited to [low, high]. */
export function clip(x: TensorLike, low: TensorLike, high: TensorLike): Variable {
  return apply1(scalarOps.clip, asVariables([x, low, high]), {});
}

export const castOp = defineOp({
  name: 'cast',
  inputs: ['x'],
  type: ([x], { dtype }: { dtype: DType }) => [x.with({ dtype })],
  grad: ([x], _outputs, [gy]) => [gy && x.dtype !== 'int32' ? cast(gy, x.dtype) : null],
});

/** x converted to `dtype` (float to int truncates toward zero). */
export function cast(x: TensorLike, dtype: DType): Variable {
  const v = asVariables([x])[0];
  return v.dtype === dtype ? v : apply1(castOp, [v], { dtype });
}

/** The element-wise family: the scalar ops and cast. */
export const elementwiseOps = { ...scalarOps, ...opTable(castOp) };
