// Numerically stable forms, applied to a cost before it is differentiated and again when compiling:
// differentiating log-softmax instead of log(softmax) is what keeps nll's gradient finite.
import { rebuild, type LocalRewrite } from '../graph/rewrite.js';
import { Constant, type Apply, type Variable } from '../graph/variable.js';
import { logSoftmax, neg, softplus } from '../ops/index.js';

const opOf = (v: Variable) => v.owner?.op.name;
const isConstant = (v: Variable, value: number) => v instanceof Constant && v.value.size === 1 && v.value.data[0] === value;

/** log(softmax(x)) -> logSoftmax(x): finite where softmax underflows to 0. */
export const logSoftmaxFromLogOfSoftmax: LocalRewrite = (node: Apply) => {
  const [x] = node.inputs;
  if (node.op.name !== 'log' || opOf(x) !== 'softmax') return null;
  return [logSoftmax(x.owner!.inputs[0])];
};

/** log(sigmoid(x)) -> -softplus(-x): finite where sigmoid(x) underflows to 0. */
export const logSigmoidToSoftplus: LocalRewrite = (node: Apply) => {
  const [x] = node.inputs;
  if (node.op.name !== 'log' || opOf(x) !== 'sigmoid') return null;
  return [neg(softplus(neg(x.owner!.inputs[0])))];
};

/** log(1 - sigmoid(x)) -> -softplus(x): the other half of binary cross-entropy from logits. */
export const logOneMinusSigmoidToSoftplus: LocalRewrite = (node: Apply) => {
  const [x] = node.inputs;
  if (node.op.name !== 'log' || opOf(x) !== 'sub') return null;
  const [one, s] = x.owner!.inputs;
  if (!isConstant(one, 1) || opOf(s) !== 'sigmoid' || s.ndim !== x.ndim) return null;
  return [neg(softplus(s.owner!.inputs[0]))];
};

/** log(1 + exp(x)) -> softplus(x). */
export const logOnePlusExpToSoftplus: LocalRewrite = (node: Apply) => {
  const [x] = node.inputs;
  if (node.op.name !== 'log' || opOf(x) !== 'add') return null;
  const [a, b] = x.owner!.inputs;
  const e = isConstant(a, 1) ? b : isConstant(b, 1) ? a : null;
  if (!e || opOf(e) !== 'exp' || e.ndim !== x.ndim) return null;
  return [softplus(e.owner!.inputs[0])];
};

export const stabilizingRewrites: readonly LocalRewrite[] = [
  logSoftmaxFromLogOfSoftmax,
  logSigmoidToSoftplus,
  logOneMinusSigmoidToSoftplus,
  logOnePlusExpToSoftplus,
];

/** `outputs` with every stable form applied. */
export function stabilize(outputs: readonly Variable[]): Variable[] {
  return rebuild(outputs, { rewrites: stabilizingRewrites }).outputs;
}
