// Reverse-mode differentiation over the graph: gradients are themselves graphs, so they can be
// compiled into larger functions or differentiated again.
import { topoSort } from '../graph/traverse.js';
import { Variable, type Apply, type VectorJacobian } from '../graph/variable.js';
import { add, asVariable, cast, zerosLike } from '../ops/index.js';
import { stabilize } from './stabilize.js';
import { sumToType } from './sum-to-type.js';

export interface GradOptions {
  /** Variables treated as constants: no gradient flows through them (the sample in CD learning). */
  considerConstant?: readonly Variable[];
  /** What to do for a variable the cost does not depend on: throw (default) or return zeros. */
  disconnected?: 'raise' | 'zero';
}

/**
 * Gradients of a scalar cost with respect to shared variables or inputs. Integers have no gradient: an
 * int32 target throws, naming it, as JAX's grad does.
 * @example const [gW, gb] = nb.grad(cost, [W, b]);
 */
export function grad(cost: Variable, wrt: Variable, options?: GradOptions): Variable;
export function grad<const W extends readonly Variable[]>(
  cost: Variable, wrt: W, options?: GradOptions,
): { -readonly [K in keyof W]: Variable };
export function grad(
  cost: Variable, wrt: Variable | readonly Variable[], options: GradOptions = {},
): Variable | Variable[] {
  const targets = wrt instanceof Variable ? [wrt] : [...wrt];
  // Differentiate the stable form (log-softmax for log of softmax, ...) when rewriting keeps every
  // target in place: a target computed inside the graph could be rebuilt away.
  if (targets.every((t) => t.owner === null) && !(options.considerConstant ?? []).some((c) => c.owner)) {
    cost = stabilize([cost])[0];
  }
  if (cost.ndim !== 0) throw new Error(`grad: cost ${cost} is ${cost.type}; it must be a scalar (take its sum or mean)`);
  if (cost.dtype === 'int32') throw new Error(`grad: cost ${cost} is int32; it must be a float`);
  // As JAX's grad: integers have no gradient (not a zero one), so asking for one is a mistake to report.
  for (const t of targets) {
    if (t.dtype === 'int32') throw new Error(`grad: ${t} is ${t.type}; integers have no gradient (differentiate with respect to a float variable)`);
  }
  const constants = new Set(options.considerConstant ?? []);
  const nodes = topoSort([cost]);
  const grads = backpropagate([[cost, asVariable(1, cost.dtype)]], targets, constants, nodes);
  const results = targets.map((t, i) => {
    if (grads[i] === null || !reaches(t, cost, nodes)) {
      if (options.disconnected !== 'zero') {
        throw new Error(`grad: the cost does not depend on ${t} (${t.type}); pass { disconnected: 'zero' } to get zeros`);
      }
      return zerosLike(t);
    }
    return grads[i];
  });
  return wrt instanceof Variable ? results[0] : results;
}

/**
 * Gradients of `wrt` given the gradients of some variables (`seeds`, each of its variable's type): the
 * vector-Jacobian product (zeros for a target the seeds do not depend on).
 */
export const vectorJacobian: VectorJacobian = (seeds, wrt) =>
  backpropagate(seeds, wrt, new Set(), topoSort(seeds.map(([v]) => v))).map((g, i) => g ?? zerosLike(wrt[i]));

/** Reverse mode over `nodes` (in dependency order), from the seeds down to the targets. */
function backpropagate(
  seeds: readonly (readonly [Variable, Variable])[], targets: readonly Variable[], constants: ReadonlySet<Variable>,
  nodes: readonly Apply[],
): (Variable | null)[] {
  // Forward: which variables depend on a target without passing through a constant.
  const dependent = new Set<Variable>(targets.filter((t) => !constants.has(t)));
  for (const node of nodes) {
    if (node.inputs.some((v) => dependent.has(v))) {
      for (const out of node.outputs) if (!constants.has(out)) dependent.add(out);
    }
  }

  const pending = new Map<Variable, Variable[]>();
  const accumulate = (v: Variable, g: Variable) => pending.set(v, [...(pending.get(v) ?? []), g]);
  const total = (v: Variable): Variable | null => {
    const parts = pending.get(v);
    if (!parts) return null;
    const sumOf = parts.reduce((a, b) => add(a, b));
    pending.set(v, [sumOf]);
    return sumOf;
  };
  for (const [v, g] of seeds) if (dependent.has(v)) accumulate(v, g);

  for (let i = nodes.length - 1; i >= 0; i--) {
    const node = nodes[i];
    if (!node.outputs.some((o) => dependent.has(o))) continue;
    const outputGrads = node.outputs.map((o) => (dependent.has(o) ? total(o) : null));
    if (outputGrads.every((g) => g === null)) continue;
    // Integer inputs carry no gradient, so a node reached only through them needs no rule.
    if (!node.inputs.some((v) => dependent.has(v) && v.dtype !== 'int32')) continue;
    if (!node.op.grad) {
      throw new Error(`grad: ${node.op.name} is not differentiable, and the cost depends on ${targets.join(', ')} through it`);
    }
    const wanted = node.inputs.map((v) => dependent.has(v) && v.dtype !== 'int32');
    const inputGrads = node.op.grad(node.inputs, node.outputs, outputGrads, node.attrs, vectorJacobian, wanted);
    node.inputs.forEach((input, k) => {
      const g = inputGrads[k];
      if (!g || !dependent.has(input) || input.dtype === 'int32') return;
      accumulate(
        input,
        node.op.broadcasts ? sumToType(g, input.type) : g.dtype === input.dtype ? g : cast(g, input.dtype),
      );
    });
  }
  // A target reached only through integers (argmax, comparisons) has a zero gradient.
  return targets.map((t) => (dependent.has(t) ? total(t) ?? zerosLike(t) : null));
}

/** Whether `cost` is computed from `v` (the forward set also holds variables that lead elsewhere). */
function reaches(v: Variable, cost: Variable, nodes: ReturnType<typeof topoSort>): boolean {
  if (v === cost) return true;
  return nodes.some((n) => n.inputs.includes(v));
}
