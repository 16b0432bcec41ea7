// Neural-network ops: softmax and log-softmax (primitives the stabilising rewrites recognise) and the
// losses and penalties built from them.
import type { Attrs, Op } from '../graph/variable.js';
import { TensorType, type StaticShape } from '../graph/type.js';
import type { ScalarVariable, Variable } from '../graph/variable.js';
import { apply1, asVariable, asVariables, broadcastTypes, defineOp, opTable, typeError, type TensorLike } from './define-op.js';
import { abs, add, exp, log, mul, neg, softplus, square, sqrt, sub } from './elementwise.js';
import { mean, sum } from './reduce.js';
import { arange, onesLike, shape } from './shape.js';
import { at } from './indexing.js';

function lastAxisFloat(name: string) {
  return ([x]: readonly import('../graph/type.js').TensorType[]) => {
    if (x.rank < 1 || x.dtype === 'int32') throw typeError(name, ['x'], [x], 'needs a float tensor of rank 1 or more');
    return [x];
  };
}

export const softmaxOp = defineOp({
  name: 'softmax',
  inputs: ['x'],
  type: lastAxisFloat('softmax'),
  // dx = y * (dy - sum(dy * y, last axis))
  grad: ([x], [y], [gy]) => [gy && mul(y, sub(gy, sum(mul(gy, y), x.ndim - 1, true)))],
});

export const logSoftmaxOp = defineOp({
  name: 'logSoftmax',
  inputs: ['x'],
  type: lastAxisFloat('logSoftmax'),
  // dx = dy - softmax(x) * sum(dy, last axis)
  grad: ([x], [y], [gy]) => [gy && sub(gy, mul(exp(y), sum(gy, x.ndim - 1, true)))],
});

/** z a float matrix of logits and y an int32 vector of labels, one per row. */
function logitsAndLabels(name: string, z: TensorType, y: TensorType): StaticShape {
  if (z.rank !== 2 || z.dtype === 'int32') throw typeError(name, ['z', 'y'], [z, y], 'z must be a float matrix of logits');
  if (y.rank !== 1 || y.dtype !== 'int32') throw typeError(name, ['z', 'y'], [z, y], 'y must be an int32 vector of labels');
  return broadcastTypes(name, ['rows of z', 'y'], [new TensorType('int32', [z.shape[0]]), y]);
}

// Theano's crossentropy_softmax_1hot: one pass over the logits forward and one backward, instead
// of log-softmax, an indexed pick and its scatter (the stabilising rewrites form it from nll).
export const softmaxCrossentropyOp = defineOp({
  name: 'softmaxCrossentropy',
  inputs: ['z', 'y'],
  type: ([z, y]) => [new TensorType(z.dtype, logitsAndLabels('softmaxCrossentropy', z, y))],
  grad: ([z, y], _loss, [g]) => [g && apply1(softmaxCrossentropyGradOp, [g, z, y], {}), null],
});

/** dz = g[:, None] * (softmax(z) - onehot(y)). */
export const softmaxCrossentropyGradOp: Op<Attrs, 'softmaxCrossentropyGrad'> = defineOp({
  name: 'softmaxCrossentropyGrad',
  inputs: ['g', 'z', 'y'],
  type: ([g, z, y]) => {
    broadcastTypes('softmaxCrossentropyGrad', ['g', 'y'], [g, new TensorType('int32', logitsAndLabels('softmaxCrossentropyGrad', z, y))]);
    return [z];
  },
  grad: ([g, z, y], _dz, [h]) => {
    if (!h) return [null, null, null];
    // With s = softmax(z): d/dg = sum(h * (s - onehot)); d/dz = s * (hg - sum(hg * s)) for hg = h * g[:, None].
    const deviation = apply1(softmaxCrossentropyGradOp, [onesLike(g), z, y], {});
    const hg = mul(h, g.dimshuffle([0, 'x']));
    const s = softmax(z);
    return [sum(mul(h, deviation), 1), mul(s, sub(hg, sum(mul(hg, s), 1, true))), null];
  },
});

/**
 * Per-row -log softmax(z)[i, y[i]] from logits z and int labels y, without forming the softmax:
 * what nll(softmax(z), y) averages. @example nb.softmaxCrossentropyWithLogits(h.dot(W), y).mean()
 */
export const softmaxCrossentropyWithLogits = (z: TensorLike, y: TensorLike): Variable =>
  apply1(softmaxCrossentropyOp, [asVariable(z), asVariable(y, 'int32')], {});

/** exp(x) / sum(exp(x)) along the last axis. @example nb.softmax(x.dot(W).add(b)) */
export const softmax = (x: TensorLike): Variable => apply1(softmaxOp, [asVariable(x)], {});
/** log(softmax(x)) along the last axis, computed stably. */
export const logSoftmax = (x: TensorLike): Variable => apply1(logSoftmaxOp, [asVariable(x)], {});

/** The entries p[i, y[i]] of a probability matrix, one per row. */
function pickLabels(p: Variable, y: Variable, name: string): Variable {
  if (p.ndim !== 2) throw typeError(name, ['p', 'y'], [p.type, y.type], 'p must be a matrix of class probabilities');
  if (y.ndim !== 1 || y.dtype !== 'int32') throw typeError(name, ['p', 'y'], [p.type, y.type], 'y must be an int32 vector of labels');
  // Rows counted from y, so that p (often a softmax the compiler rewrites away) is not needed for its shape.
  return at(log(p), arange(shape(y).at(0)), y);
}

/**
 * Mean negative log-likelihood of integer labels y under row-wise class probabilities p. Compiling
 * rewrites log(softmax(z)) to logSoftmax(z), so nll(softmax(z), y) stays finite for large z.
 * @example nb.nll(nb.softmax(x.dot(W).add(b)), y)
 */
export function nll(p: TensorLike, y: TensorLike): ScalarVariable {
  return neg(mean(pickLabels(asVariable(p), asVariable(y, 'int32'), 'nll'))) as ScalarVariable;
}

/** Element-wise -(t log p + (1 - t) log(1 - p)); stable for p = sigmoid(z) once compiled. */
export function binaryCrossentropy(p: TensorLike, t: TensorLike): Variable {
  const [pv, tv] = asVariables([p, t]);
  return neg(add(mul(tv, log(pv)), mul(sub(1, tv), log(sub(1, pv)))));
}

/**
 * Binary cross-entropy from logits z without forming sigmoid(z): softplus(z) - t z. At z = +Infinity
 * that is Infinity - Infinity, so NaN (optax gives the limit, +Infinity; binaryCrossentropy(sigmoid(z), t)
 * compiles to t softplus(-z) + (1 - t) softplus(z), which keeps it, at twice the cost).
 */
export function sigmoidCrossentropyWithLogits(z: TensorLike, t: TensorLike): Variable {
  const [zv, tv] = asVariables([z, t]);
  return sub(softplus(zv), mul(tv, zv));
}

/**
 * Per-row -sum(t log p) for one-hot or soft targets t (a matrix), or -log p[i, t[i]] for int labels.
 */
export function categoricalCrossentropy(p: TensorLike, t: TensorLike): Variable {
  const pv = asVariable(p);
  // A plain list of numbers is a list of labels; nested lists are target rows.
  const labels = Array.isArray(t) && !Array.isArray(t[0]);
  const tv = asVariable(t, labels ? 'int32' : pv.dtype);
  if (tv.dtype === 'int32' && tv.ndim === 1) return neg(pickLabels(pv, tv, 'categoricalCrossentropy'));
  return neg(sum(mul(tv, log(pv)), pv.ndim - 1));
}

/** Element-wise (a - b)². */
export function squaredError(a: TensorLike, b: TensorLike): Variable {
  const [av, bv] = asVariables([a, b]);
  return square(sub(av, bv));
}

/** sum |x|: the L1 penalty. */
export const l1 = (x: TensorLike): Variable => sum(abs(asVariable(x)));
/** sum x²: the squared L2 penalty (the tutorials' L2_sqr). */
export const l2Sqr = (x: TensorLike): Variable => sum(square(asVariable(x)));
/** sqrt(sum x²). */
export const l2Norm = (x: TensorLike): Variable => sqrt(l2Sqr(x));

/** The neural-network family's ops, by name. */
export const nnetOps = opTable(softmaxOp, logSoftmaxOp, softmaxCrossentropyOp, softmaxCrossentropyGradOp);
