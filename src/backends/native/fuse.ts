// Element-wise fusion: each maximal tree of element-wise nodes whose intermediate results have no other
// use becomes one fusedElementwise node, a register program the native loop runs in one pass over memory;
// a tree summed over every axis becomes one fusedElementwiseSum, which stores only the total.
import type { DType } from '../../ndarray/index.js';
import type { Phase } from '../../graph/rewrite.js';
import { topoSort } from '../../graph/traverse.js';
import { TensorType, type StaticShape } from '../../graph/type.js';
import { Apply, applyOp, Constant, type Variable } from '../../graph/variable.js';
import { defineOp, type ElementwiseName, type ReduceAttrs } from '../../ops/index.js';
import { REGISTERS, type Instruction, type OpcodeName } from './opcodes.js';

export interface FusedAttrs extends Record<string, unknown> {
  /** The register program; the last instruction's dst is the result. */
  program: Instruction[];
  consts: number[];
  dtype: DType;
  shape: StaticShape;
  /** The fused ops, for printing. */
  ops: string[];
  /** For each input, the op and argument that read it ('add', 'a'), for run-time error messages. */
  sites: [string, string][];
}

export const fusedElementwiseOp = defineOp({
  name: 'fusedElementwise',
  inputs: ['inputs'],
  type: (_inputs, { dtype, shape }: FusedAttrs) => [new TensorType(dtype, shape)],
});

/** A chain's total: the loop adds up its results instead of storing them (sum(square(W)) for L2). */
export const fusedElementwiseSumOp = defineOp({
  name: 'fusedElementwiseSum',
  inputs: ['inputs'],
  type: (_inputs, { dtype }: FusedAttrs) => [new TensorType(dtype, [])],
});

/** A sum over every axis down to a scalar. */
function isTotal(node: Apply): boolean {
  const { axes, keepdims } = node.attrs as Partial<ReduceAttrs>;
  return node.op.name === 'sum' && !keepdims && axes?.length === node.inputs[0].ndim && node.outputs[0].dtype === node.inputs[0].dtype;
}

// broadcastLike fuses as a copy whose template joins the loop's inputs for its shape only.
const fusable = (node: Apply) => node.outputs.length === 1 && (node.op.elementwise === true || node.op.name === 'cast' || node.op.name === 'broadcastLike');

/** Whether `member` computes the same values inside a loop of `root`'s compute type as on its own. */
function sameArithmetic(member: Apply, root: Apply): boolean {
  const rootType = root.outputs[0].dtype;
  const out = member.outputs[0].dtype;
  if (out === rootType) return true;
  // 0/1 results (comparisons) are exact in any type, given inputs read at the loop's precision.
  return out === 'int32' && rootType !== 'int32' && member.inputs.every((v) => v.dtype === rootType || v.dtype === 'int32');
}

interface Program {
  attrs: FusedAttrs;
  inputs: Variable[];
  /** The program feeds a total (the node it replaces is that sum). */
  sum?: boolean;
}

function compileProgram(root: Apply, members: ReadonlySet<Apply>): Program | null {
  const registers = new Map<Variable, number>();
  const program: Instruction[] = [];
  const consts: number[] = [];
  const inputs: Variable[] = [];
  const sites: [string, string][] = [];
  const addInput = (v: Variable, reader: Apply, position: number): number => {
    const at = inputs.indexOf(v);
    if (at >= 0) return at;
    sites.push([reader.op.name, reader.op.inputs[position] ?? `input ${position}`]);
    return inputs.push(v) - 1;
  };
  const emit = (v: Variable, reader: Apply, position: number): number => {
    const known = registers.get(v);
    if (known !== undefined) return known;
    let instr: Instruction;
    if (v.owner && members.has(v.owner)) {
      const name = v.owner.op.name;
      const owner = v.owner;
      if (name === 'broadcastLike') addInput(owner.inputs[1], owner, 1);
      const args = (name === 'broadcastLike' ? owner.inputs.slice(0, 1) : owner.inputs).map((u, k) => emit(u, owner, k));
      const truncates = name === 'cast' && v.dtype === 'int32' && v.owner.inputs[0].dtype !== 'int32';
      const code: OpcodeName = truncates ? 'trunc' : name === 'cast' || name === 'broadcastLike' ? 'copy' : (name as ElementwiseName);
      instr = [code, registers.size, args[0] ?? 0, args[1] ?? 0, args[2] ?? 0];
    } else if (v instanceof Constant && v.value.size === 1) {
      instr = ['const', registers.size, consts.push(v.value.data[0]) - 1, 0, 0];
    } else {
      instr = ['input', registers.size, addInput(v, reader, position), 0, 0];
    }
    registers.set(v, registers.size);
    program.push(instr);
    return instr[1];
  };
  emit(root.outputs[0], root, 0);
  if (registers.size > REGISTERS) return null;
  const out = root.outputs[0].type;
  const ops = [...members].map((m) => m.op.name);
  return { attrs: { program, consts, dtype: out.dtype, shape: out.shape, ops, sites }, inputs };
}

/** Grows a cluster from `root` through producers used only by the cluster; returns members in growth order. */
function growCluster(root: Apply, uses: ReadonlyMap<Variable, number>, taken: ReadonlySet<Apply>): Apply[] {
  const members = [root];
  for (let i = 0; i < members.length; i++) {
    // A broadcastLike's template is read for its shape only: it stays an input computed outside the
    // loop, so its producer must not join (it would be left out of the rebuilt graph, and the
    // original graph behind it kept alive as a duplicate).
    const computed = members[i].op.name === 'broadcastLike' ? members[i].inputs.slice(0, 1) : members[i].inputs;
    for (const v of computed) {
      const p = v.owner;
      if (
        p && fusable(p) && uses.get(v) === 1 &&
        !taken.has(p) && !members.includes(p) && sameArithmetic(p, root)
      ) members.push(p);
    }
  }
  return members;
}

/** The fusion pass over a whole graph. */
export function fuseElementwise(outputs: readonly Variable[]): Variable[] {
  const nodes = topoSort(outputs);
  const uses = new Map<Variable, number>();
  for (const v of outputs) uses.set(v, (uses.get(v) ?? 0) + 1);
  for (const n of nodes) for (const v of n.inputs) uses.set(v, (uses.get(v) ?? 0) + 1);

  const taken = new Set<Apply>();
  const programs = new Map<Apply, Program>();
  for (let i = nodes.length - 1; i >= 0; i--) {
    const node = nodes[i];
    // A total whose chain is used by nothing else takes the chain in as its own loop.
    const chain = isTotal(node) ? node.inputs[0].owner : null;
    const root = chain && fusable(chain) && uses.get(node.inputs[0]) === 1 && !taken.has(chain) ? chain : node;
    if (!fusable(root) || taken.has(root)) continue;
    const grown = growCluster(root, uses, taken);
    // Drop the last-grown members until the program fits the register file.
    for (let size = grown.length; size >= 1; size--) {
      const members = new Set(grown.slice(0, size));
      const program = compileProgram(root, members);
      if (!program) continue;
      members.forEach((m) => taken.add(m));
      programs.set(node, { ...program, sum: root !== node });
      break;
    }
  }

  const mapped = new Map<Variable, Variable>();
  const resolve = (v: Variable) => mapped.get(v) ?? v;
  for (const node of nodes) {
    const program = programs.get(node);
    if (program) {
      const op = program.sum ? fusedElementwiseSumOp : fusedElementwiseOp;
      mapped.set(node.outputs[0], applyOp(op, program.inputs.map(resolve), program.attrs).outputs[0]);
    } else if (!taken.has(node)) {
      const inputs = node.inputs.map(resolve);
      const same = inputs.every((v, k) => v === node.inputs[k]);
      const rebuilt = same ? node : applyOp(node.op, inputs, node.attrs);
      node.outputs.forEach((o, k) => mapped.set(o, rebuilt.outputs[k]));
    }
  }
  return outputs.map(resolve);
}

export const fusionPhase: Phase = { name: 'fuse', run: fuseElementwise };
