// Work a step does on its sequence rows alone (x_t·Wx + b, as the tutorials write the input term) does
// not depend on the earlier steps, so it is done for every step at once before the loop: one matrix
// product of the whole sequence instead of one per step, in the loop and in its gradient (Theano's
// scan push-out). Likewise an output computed from a state's new value alone (softmax(h_t·W + b)) is
// computed after the loop from all the states at once. What moves: matrix products of a row by a
// loop-invariant matrix, softmax, and element-wise operations on such results, rows and loop-invariant
// values.
import { TensorType } from '../graph/type.js';
import { rebuild } from '../graph/rewrite.js';
import { topoSort } from '../graph/traverse.js';
import { applyOp, Constant, Variable, type Apply } from '../graph/variable.js';
import { dot } from './linalg.js';

/** A placeholder for one row (axis 0) of v. */
export const rowOf = (v: Variable, name: string) =>
  new Variable(new TensorType(v.dtype, v.type.shape.slice(1)), null, 0, name);

/** A step's graph with its per-row work moved before the loop, and the sequences it reads then. */
export interface Hoisted {
  outputs: Variable[];
  /** Row placeholders, and the whole sequences they are rows of. */
  rows: Variable[];
  sequences: Variable[];
}

/** The node applied to whole sequences in place of rows (null when the op cannot be). */
function overAllSteps(node: Apply, inputs: readonly Variable[], perStep: readonly boolean[]): Variable | null {
  const out = node.outputs[0];
  // Along the last axis, so rows stacked on a new first axis keep their meaning.
  const lastAxis = node.op.name === 'softmax' || node.op.name === 'logSoftmax';
  if (node.op.elementwise || lastAxis) {
    // A row that broadcasts against a value of more axes would meet it on other axes once stacked.
    if (node.inputs.some((v, i) => perStep[i] && v.ndim !== out.ndim)) return null;
    return applyOp(node.op, inputs, node.attrs).outputs[0];
  }
  const [a, b] = node.inputs;
  if (node.op.name !== 'dot' || node.attrs.transA || node.attrs.transB || !perStep[0] || perStep[1] || b.ndim !== 2) return null;
  const [rows, matrix] = inputs;
  if (a.ndim === 1) return dot(rows, matrix);
  // Rows of a minibatch [steps, batch, n]: one product over steps × batch.
  const flat = dot(rows.reshape([-1, rows.shape.at(2)]), matrix);
  return flat.reshape([rows.shape.at(0), rows.shape.at(1), -1]);
}

/**
 * The value over all steps of every per-step value of `outputs` that can be computed from whole
 * sequences: `rows` are per-step placeholders and `sequences` their values over all steps; `fixed` maps
 * the step's loop-invariant placeholders to their outer values. Null when it finds no matrix product
 * (moving element-wise work alone is not worth a sequence).
 */
function overSteps(
  outputs: readonly Variable[], rows: readonly Variable[], sequences: readonly Variable[],
  fixed: ReadonlyMap<Variable, Variable>,
): Map<Variable, Variable> | null {
  // The value over all steps of each per-step value found so far.
  const whole = new Map<Variable, Variable>(rows.map((r, i) => [r, sequences[i]]));
  const invariant = (v: Variable) => v instanceof Constant || fixed.has(v);
  const outer = (v: Variable) => whole.get(v) ?? (v instanceof Constant ? v : fixed.get(v)!);
  let products = 0;
  for (const node of topoSort(outputs)) {
    if (node.op.random || node.outputs.length !== 1) continue;
    const perStep = node.inputs.map((v) => whole.has(v));
    if (!perStep.some(Boolean) || !node.inputs.every((v, i) => perStep[i] || invariant(v))) continue;
    const value = overAllSteps(node, node.inputs.map(outer), perStep);
    if (!value) continue;
    whole.set(node.outputs[0], value);
    if (node.op.name === 'dot') products++;
  }
  return products > 0 ? whole : null;
}

/**
 * `outputs` with each value computable from the sequence rows alone computed before the loop and read
 * as a new sequence. Null when nothing worth it is found.
 */
export function hoistPerStepWork(
  outputs: readonly Variable[], rows: readonly Variable[], sequences: readonly Variable[],
  fixed: ReadonlyMap<Variable, Variable>,
): Hoisted | null {
  const whole = overSteps(outputs, rows, sequences, fixed);
  if (!whole) return null;
  // The hoisted values the loop still reads: those used by nodes left in it, or returned.
  const users = topoSort(outputs).filter((node) => !whole.has(node.outputs[0]));
  const needed = new Set<Variable>([...users.flatMap((n) => n.inputs), ...outputs].filter((v) => whole.has(v)));
  const newRows = new Map([...needed].map((v) => [v, rows.includes(v) ? v : rowOf(whole.get(v)!, `${v}[t]`)]));
  const replace = new Map([...newRows].filter(([v, row]) => v !== row));
  return {
    outputs: rebuild(outputs, { replace }).outputs,
    rows: [...newRows.values()],
    sequences: [...newRows.keys()].map((v) => whole.get(v)!),
  };
}

/**
 * Outputs of the step (not fed back) computable from its states' new values and loop-invariant values
 * alone (an output layer softmax(h_t·W + b)), as expressions over `after`: placeholders for each state's
 * values over all steps, which the loop's node gives once made. Null for an output that stays in the loop.
 */
export function afterTheLoop(
  outputs: readonly Variable[], states: readonly Variable[], after: readonly Variable[],
  fixed: ReadonlyMap<Variable, Variable>,
): (Variable | null)[] {
  const whole = overSteps(outputs, states, after, fixed);
  return outputs.map((o) => (whole && !states.includes(o) ? whole.get(o) ?? null : null));
}
