// Numerically stable forms, applied to a cost before it is differentiated and again when compiling:
// differentiating log-softmax instead of log(softmax) is what keeps nll's gradient finite.
import { rebuild, type LocalRewrite } from '../graph/rewrite.js';
import { Constant, type Apply, type Variable } from '../graph/variable.js';
import { logSoftmax, neg, softmaxCrossentropyWithLogits, softplus } from '../ops/index.js';

const opOf = (v: Variable) => v.owner?.op.name;
const isConstant = (v: Variable, value: number) =>
  v instanceof Constant && v.value.size === 1 && v.value.data[0] === value;

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

/** True for subtensor(shape(v), 0): the row count of v. */
function isRowCountOf(n: Variable, v: Variable): boolean {
  const entries = n.owner?.op.name === 'subtensor' ? (n.owner.attrs.entries as { kind: string; at?: unknown }[]) : null;
  const s = n.owner?.inputs[0];
  return entries?.length === 1 && entries[0].kind === 'index' && entries[0].at === 0 && opOf(s!) === 'shape' && s!.owner!.inputs[0] === v;
}

/** logSoftmax(z)[arange(rows), y] -> -softmaxCrossentropy(z, y): nll's pick, in one pass each way. */
export const softmaxCrossentropyFromPick: LocalRewrite = (node: Apply) => {
  if (node.op.name !== 'advancedSubtensor' || node.inputs.length !== 3) return null;
  const [logp, rows, y] = node.inputs;
  if (opOf(logp) !== 'logSoftmax' || opOf(rows) !== 'arange' || y.ndim !== 1) return null;
  const z = logp.owner!.inputs[0];
  const n = rows.owner!.inputs[0];
  if (z.ndim !== 2 || !(isRowCountOf(n, y) || isRowCountOf(n, z))) return null;
  return [neg(softmaxCrossentropyWithLogits(z, y))];
};

export const stabilizingRewrites: readonly LocalRewrite[] = [
  softmaxCrossentropyFromPick,
  logSoftmaxFromLogOfSoftmax,
  logSigmoidToSoftplus,
  logOneMinusSigmoidToSoftplus,
  logOnePlusExpToSoftplus,
];

/** `outputs` with every stable form applied. */
export function stabilize(outputs: readonly Variable[]): Variable[] {
  return rebuild(outputs, { rewrites: stabilizingRewrites }).outputs;
}
