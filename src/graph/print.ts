// Readable graphs for debugging: pp() as one expression, debugPrint() as an indented tree with types.
import { topoSort } from './traverse.js';
import { Constant, type Variable } from './variable.js';

const INFIX: Record<string, string> = { add: '+', sub: '-', mul: '*', div: '/', pow: '**', lt: '<', gt: '>', le: '<=', ge: '>=', eq: '==', neq: '!=' };

function attrText(attrs: Record<string, unknown>): string {
  const entries = Object.entries(attrs).filter(([, v]) => v !== false && v !== undefined);
  return entries.length ? `{${entries.map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(', ')}}` : '';
}

type Bound = number | { input: number } | null;
type Entry = { kind: 'index'; at: Bound } | { kind: 'slice'; start: Bound; stop: Bound; step: Bound };

/** NumPy-style text for a basic index: x[0, 1::-1]. */
function indexText(entries: readonly Entry[], bounds: readonly string[]): string {
  const bound = (b: Bound) => (b === null ? '' : typeof b === 'number' ? String(b) : bounds[b.input]);
  return entries
    .map((e) => (e.kind === 'index' ? bound(e.at) : `${bound(e.start)}:${bound(e.stop)}${e.step === null ? '' : `:${bound(e.step)}`}`))
    .join(', ');
}

/**
 * One-line expression of how `v` is computed.
 * @example nb.pp(nb.softmax(x.dot(W).add(b))) // 'softmax((dot(x, W) + b))'
 */
export function pp(v: Variable): string {
  if (!v.owner) return v.toString();
  const { op, inputs, attrs, outputs } = v.owner;
  const args = inputs.map(pp);
  const which = outputs.length > 1 ? `[${v.index}]` : '';
  if (INFIX[op.name] && args.length === 2) return `(${args[0]} ${INFIX[op.name]} ${args[1]})`;
  if (op.name === 'subtensor') return `${args[0]}[${indexText(attrs.entries as Entry[], args.slice(1))}]`;
  if (op.name === 'advancedSubtensor') return `${args[0]}[${args.slice(1).join(', ')}]`;
  return `${op.name}${attrText(attrs)}(${args.join(', ')})${which}`;
}

/** The graph computing `outputs`, one node per line with its output types, shared nodes printed once. */
export function debugPrint(outputs: readonly Variable[]): string {
  const names = new Map<Variable, string>();
  const nameOf = (v: Variable) => names.get(v) ?? (v instanceof Constant ? v.toString() : (v.name ?? `v${v.id}`));
  const lines: string[] = [];
  for (const node of topoSort(outputs)) {
    node.outputs.forEach((o) => names.set(o, o.name ?? `%${names.size}`));
    const outs = node.outputs.map((o) => `${nameOf(o)}: ${o.type}`).join(', ');
    lines.push(`${outs} = ${node.op.name}${attrText(node.attrs)}(${node.inputs.map(nameOf).join(', ')})`);
  }
  lines.push(`outputs: ${outputs.map(nameOf).join(', ')}`);
  return lines.join('\n');
}
