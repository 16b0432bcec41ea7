// Element-wise kernels on the native loop: every scalar op and cast as a one-instruction program, the
// fused programs the fusion phase builds, and strided copies (transposes, slices, broadcasts).
import { broadcastShapes, broadcastStrides, NDArray, sameShape } from '../../ndarray/index.js';
import { scalarOps, type elementwiseOps } from '../../ops/index.js';
import type { Apply } from '../../graph/variable.js';
import type { Allocate, Kernel } from '../backend.js';
import { checkBroadcast } from '../reference/strided.js';
import type { NativeAddon } from './addon.js';
import type { NativeKernelsFor } from './fallbacks.js';
import type { FusedAttrs } from './fuse.js';
import { encodeProgram, type Instruction, type OpcodeName } from './opcodes.js';

/** The loop layout for one set of input shapes: the output shape and each input's strides along it. */
interface Layout {
  inputShapes: (readonly number[])[];
  shape: number[];
  strides: Int32Array;
  offsets: Int32Array;
  outShape: Int32Array;
}

/** The layout for `inputs`, checked against Theano's broadcasting rule; reused while shapes repeat. */
function layoutFor(inputs: readonly NDArray[], node: Apply, cache: WeakMap<Apply, Layout>): Layout {
  const last = cache.get(node);
  if (
    last &&
    last.inputShapes.length === inputs.length &&
    inputs.every((x, k) => sameShape(x.shape, last.inputShapes[k]))
  ) return last;
  const shape = broadcastShapes(...inputs.map((x) => x.shape));
  const sites = (node.attrs as Partial<FusedAttrs>).sites;
  inputs.forEach((x, k) => {
    if (sameShape(x.shape, shape)) return;
    const [op, name] = sites?.[k] ?? [node.op.name, node.op.inputs[k] ?? `input ${k}`];
    checkBroadcast(op, name, node.inputs[k].type, x.shape, shape);
  });
  const strides = new Int32Array(inputs.length * shape.length);
  inputs.forEach((x, i) => strides.set(broadcastStrides(x.shape, shape), i * shape.length));
  const layout = {
    inputShapes: inputs.map((x) => x.shape),
    shape,
    strides,
    offsets: new Int32Array(inputs.length),
    outShape: Int32Array.from(shape),
  };
  cache.set(node, layout);
  return layout;
}

const layouts = new WeakMap<Apply, Layout>();

/** Runs a register program over inputs broadcast to their common shape; with `sum`, returns only the total. */
function runProgram(
  addon: NativeAddon, program: Int32Array, consts: Float64Array,
  inputs: NDArray[], node: Apply, allocate: Allocate, sum = false,
): NDArray {
  const layout = layoutFor(inputs, node, layouts);
  const out = allocate(node.outputs[0].type.dtype, sum ? [] : layout.shape);
  const run = sum ? addon.elementwiseSum : addon.elementwise;
  run(program, consts, inputs.map((x) => x.data), layout.strides, layout.offsets, layout.outShape, out.data);
  return out;
}

const NO_CONSTS = new Float64Array(0);

/** Loads each input, applies `opcode`: the program of one element-wise op (or of a cast, as copy or trunc). */
function singleOpProgram(opcode: OpcodeName, arity: number): Instruction[] {
  const loads = Array.from({ length: arity }, (_, i): Instruction => ['input', i, i, 0, 0]);
  return [...loads, [opcode, arity, 0, 1, 2]];
}

const loadOnlyPrograms = new WeakMap<NativeAddon, Int32Array>();

/** A contiguous copy of a strided view of x (transposes, slices, broadcasts) by the native loop. */
export function copyView(
  addon: NativeAddon, x: NDArray, shape: readonly number[], strides: readonly number[],
  offset: number, allocate: Allocate,
): NDArray {
  const out = allocate(x.dtype, shape);
  let loadOnly = loadOnlyPrograms.get(addon);
  if (!loadOnly) loadOnlyPrograms.set(addon, (loadOnly = encodeProgram([['input', 0, 0, 0, 0]], addon.opcodes)));
  addon.elementwise(
    loadOnly, NO_CONSTS, [x.data], Int32Array.from(strides), Int32Array.of(offset), Int32Array.from(shape), out.data,
  );
  return out;
}

/** Element-wise kernels, by op: each a one-instruction program, its encoding cached per arity. */
export function elementwiseKernels(addon: NativeAddon): NativeKernelsFor<typeof elementwiseOps> {
  const single = (opcode: OpcodeName): Kernel => {
    const programs = new Map<number, Int32Array>();
    return (inputs, _attrs, node, allocate) => {
      let program = programs.get(inputs.length);
      if (!program) {
        programs.set(inputs.length, (program = encodeProgram(singleOpProgram(opcode, inputs.length), addon.opcodes)));
      }
      return [runProgram(addon, program, NO_CONSTS, inputs, node, allocate)];
    };
  };
  const scalar = Object.fromEntries(Object.keys(scalarOps).map((name) => [name, single(name as OpcodeName)]));
  const [copy, trunc] = [single('copy'), single('trunc')];
  return {
    ...(scalar as Record<keyof typeof scalarOps, Kernel>),
    // float to int32 truncates toward zero; every other cast is a copy converting on store.
    cast: (inputs, attrs, node, allocate) => (node.outputs[0].dtype === 'int32' ? trunc : copy)(inputs, attrs, node, allocate),
  };
}

/** The kernel of fusedElementwise nodes, or with `sum` of fusedElementwiseSum nodes. */
export function fusedKernel(addon: NativeAddon, sum = false): Kernel {
  const programs = new WeakMap<object, { program: Int32Array; consts: Float64Array }>();
  return (inputs, attrs, node, allocate) => {
    let compiled = programs.get(attrs);
    if (!compiled) {
      const a = attrs as FusedAttrs;
      compiled = { program: encodeProgram(a.program, addon.opcodes), consts: Float64Array.from(a.consts) };
      programs.set(attrs, compiled);
    }
    return [runProgram(addon, compiled.program, compiled.consts, inputs, node, allocate, sum)];
  };
}
