// Rebuilding a graph with substitutions and local rewrites: the one mechanism behind givens,
// merging of equal sub-graphs, constant folding and the stabilising and specialising rewrites.
import { topoSort } from './traverse.js';
import { Apply, applyOp, Constant, Variable } from './variable.js';

/** Looks at one freshly rebuilt node; returns replacements for its outputs, or null to keep it. */
export type LocalRewrite = (node: Apply) => Variable[] | null;

/** A graph phase of the compile pipeline: local rewrites run to a fixed point, or a pass over the whole graph. */
export type Phase =
  | { name: string; rewrites: readonly LocalRewrite[] }
  | { name: string; run: (outputs: readonly Variable[]) => Variable[] };

export interface RebuildOptions {
  /** Variables to replace wherever they are used (givens). */
  replace?: ReadonlyMap<Variable, Variable>;
  rewrites?: readonly LocalRewrite[];
  /** Share one node among equal applications (same op, attributes and inputs). */
  merge?: boolean;
}

function nodeKey(node: Apply, inputs: readonly Variable[]): string | null {
  if (node.op.random) return null;
  return `${node.op.name}|${JSON.stringify(node.attrs)}|${inputs.map((v) => constantKey(v) ?? `#${v.id}`).join(',')}`;
}

/** Small constants merge by value, so two literal 1s become one. */
function constantKey(v: Variable): string | null {
  if (!(v instanceof Constant) || v.value.size > 16) return null;
  return `${v.value.dtype}${JSON.stringify(v.value.shape)}:${Array.from(v.value.data).join(' ')}`;
}

/**
 * `outputs` rebuilt bottom-up: inputs replaced, then each node merged with an equal one and offered to
 * the rewrites (whose results are rebuilt in turn, so rewrites compose). Unchanged nodes are reused.
 */
export function rebuild(
  outputs: readonly Variable[], options: RebuildOptions,
): { outputs: Variable[]; changed: boolean } {
  const mapped = new Map<Variable, Variable>(options.replace ?? []);
  const merged = new Map<string, Apply>();
  const constants = new Map<string, Variable>();
  const rewrites = options.rewrites ?? [];
  let changed = mapped.size > 0;

  const resolve = (v: Variable): Variable => {
    const m = mapped.get(v);
    if (m) return m === v ? v : resolve(m);
    const key = options.merge ? constantKey(v) : null;
    if (key === null) return v;
    const first = constants.get(key) ?? v;
    constants.set(key, first);
    return first;
  };

  const visit = (node: Apply, depth: number): void => {
    const inputs = node.inputs.map(resolve);
    let current = node;
    if (inputs.some((v, i) => v !== node.inputs[i])) {
      current = applyOp(node.op, inputs, node.attrs);
      changed = true;
    }
    const key = options.merge ? nodeKey(current, inputs) : null;
    const twin = key === null ? undefined : merged.get(key);
    if (twin && twin !== current) {
      node.outputs.forEach((o, i) => mapped.set(o, twin.outputs[i]));
      changed = true;
      return;
    }
    if (key !== null) merged.set(key, current);
    for (const rw of rewrites) {
      const replacement = rw(current);
      if (!replacement) continue;
      changed = true;
      // Rebuild what the rewrite made, so it is merged and rewritten as well (bounded against cycles).
      const fresh = depth < 8 ? replacement.map((r) => rebuildInner(r, depth + 1)) : replacement;
      node.outputs.forEach((o, i) => mapped.set(o, fresh[i]));
      return;
    }
    node.outputs.forEach((o, i) => mapped.set(o, current.outputs[i]));
  };

  const rebuildInner = (v: Variable, depth: number): Variable => {
    for (const n of topoSort([v])) if (!n.outputs.every((o) => mapped.has(o))) visit(n, depth);
    return resolve(v);
  };

  // What is replaced is not visited, so the nodes computing it keep their replacement (givens of computed values).
  for (const node of topoSort(outputs, options.replace)) visit(node, 0);
  return { outputs: outputs.map(resolve), changed };
}
