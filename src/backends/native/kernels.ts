// Native kernels: each maps an op onto the addon's entry points. Ops without a native kernel are
// listed in `referenceFallbacks` and run the reference kernel on the same arrays.
import { broadcastShapes, broadcastStrides, NDArray, sameShape, sizeOf, stridesOf } from '../../ndarray/index.js';
import type { ConvMode, DotAttrs, ElementwiseName, IndexEntry, OpName, PoolAttrs, RandomUniformAttrs, ReduceAttrs, ShufflePattern } from '../../ops/index.js';
import { allocateFresh, type Allocate, type Kernel, type KernelTable } from '../backend.js';
import { referenceKernels } from '../reference/index.js';
import { basicView } from '../reference/indexing.js';
import { checkLabelRows } from '../reference/nnet.js';
import type { NativeAddon } from './addon.js';
import type { FusedAttrs } from './fuse.js';
import { COPY, INPUT, OPCODES, TRUNC } from './opcodes.js';
import { checkBroadcast } from '../reference/strided.js';
import type { Apply } from '../../graph/variable.js';

type FloatArray = Float32Array | Float64Array;

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
  if (last && last.inputShapes.length === inputs.length && inputs.every((x, k) => sameShape(x.shape, last.inputShapes[k]))) return last;
  const shape = broadcastShapes(...inputs.map((x) => x.shape));
  const sites = (node.attrs as Partial<FusedAttrs>).sites;
  inputs.forEach((x, k) => {
    if (sameShape(x.shape, shape)) return;
    const [op, name] = sites?.[k] ?? [node.op.name, node.op.inputs[k] ?? `input ${k}`];
    checkBroadcast(op, name, node.inputs[k].type, x.shape, shape);
  });
  const strides = new Int32Array(inputs.length * shape.length);
  inputs.forEach((x, i) => strides.set(broadcastStrides(x.shape, shape), i * shape.length));
  const layout = { inputShapes: inputs.map((x) => x.shape), shape, strides, offsets: new Int32Array(inputs.length), outShape: Int32Array.from(shape) };
  cache.set(node, layout);
  return layout;
}

const layouts = new WeakMap<Apply, Layout>();

/** Runs a register program over inputs broadcast to their common shape; with `sum`, returns only the total. */
function runProgram(addon: NativeAddon, program: Int32Array, consts: Float64Array, inputs: NDArray[], node: Apply, allocate: Allocate, sum = false): NDArray {
  const layout = layoutFor(inputs, node, layouts);
  const out = allocate(node.outputs[0].type.dtype, sum ? [] : layout.shape);
  const run = sum ? addon.elementwiseSum : addon.elementwise;
  run(program, consts, inputs.map((x) => x.data), layout.strides, layout.offsets, layout.outShape, out.data);
  return out;
}

const NO_CONSTS = new Float64Array(0);
const LOAD_ONLY = Int32Array.from([INPUT, 0, 0, 0, 0]);
const COPY_PROGRAM = Int32Array.from([INPUT, 0, 0, 0, 0, COPY, 1, 0, 0, 0]);
const TRUNC_PROGRAM = Int32Array.from([INPUT, 0, 0, 0, 0, TRUNC, 1, 0, 0, 0]);

/** A contiguous copy of a strided view of x (transposes, slices, broadcasts) by the native loop. */
function copyView(addon: NativeAddon, x: NDArray, shape: readonly number[], strides: readonly number[], offset: number, allocate: Allocate): NDArray {
  const out = allocate(x.dtype, shape);
  addon.elementwise(LOAD_ONLY, NO_CONSTS, [x.data], Int32Array.from(strides), Int32Array.of(offset), Int32Array.from(shape), out.data);
  return out;
}

/** A one-instruction program per element-wise op: load each input, apply the opcode. */
function singleOpProgram(opcode: number, arity: number): Int32Array {
  const loads = Array.from({ length: arity }, (_, i) => [INPUT, i, i, 0, 0]).flat();
  return Int32Array.from([...loads, opcode, arity, 0, 1, 2]);
}

function elementwiseKernels(addon: NativeAddon): Record<ElementwiseName, Kernel> {
  const table = {} as Record<ElementwiseName, Kernel>;
  for (const [name, code] of Object.entries(OPCODES) as [ElementwiseName, number][]) {
    const cache = new Map<number, Int32Array>();
    table[name] = (inputs, _attrs, node, allocate) => {
      let program = cache.get(inputs.length);
      if (!program) cache.set(inputs.length, (program = singleOpProgram(code, inputs.length)));
      return [runProgram(addon, program, NO_CONSTS, inputs, node, allocate)];
    };
  }
  return table;
}

const REDUCE_CODES = { sum: 0, prod: 1, max: 2, min: 3, argmax: 4, argmin: 5 } as const;

/** Sorted axes as maximal runs of neighbours: [0, 2, 3] → [[0], [2, 3]]. */
function axisRuns(axes: readonly number[]): number[][] {
  const runs: number[][] = [];
  for (const a of axes) {
    const last = runs[runs.length - 1];
    if (last && last[last.length - 1] === a - 1) last.push(a);
    else runs.push([a]);
  }
  return runs;
}

function reduceKernel(addon: NativeAddon, name: keyof typeof REDUCE_CODES): Kernel {
  const code = REDUCE_CODES[name];
  const isArg = name === 'argmax' || name === 'argmin';
  /** One contiguous run reduced in place of [outer, n, inner] with no copy. */
  const reduceRun = (x: NDArray, shape: readonly number[], run: readonly number[], out: NDArray) => {
    const [first, last] = [run[0], run[run.length - 1]];
    addon.reduce(code, x.data, sizeOf(shape.slice(0, first)), sizeOf(shape.slice(first, last + 1)), sizeOf(shape.slice(last + 1)), out.data);
  };
  return ([x], attrs, node, allocate) => {
    const { axes, keepdims } = attrs as ReduceAttrs;
    const dtype = node.outputs[0].type.dtype;
    const outShape = keepdims ? x.shape.map((d, i) => (axes.includes(i) ? 1 : d)) : x.shape.filter((_, i) => !axes.includes(i));
    const out = allocate(dtype, outShape);
    const runs = axisRuns(axes);
    if (axes.length === 0) {
      out.data.set(isArg ? new Int32Array(out.size) : x.data);
    } else if (runs.length === 1) {
      reduceRun(x, x.shape, runs[0], out);
    } else if (!isArg) {
      // sum, prod, max and min compose: reduce the runs one at a time, last first, with no transposes.
      let current = x;
      let shape = [...x.shape];
      for (let r = runs.length - 1; r >= 0; r--) {
        const next = shape.map((d, i) => (runs[r].includes(i) ? 1 : d));
        const target = r === 0 ? out : new NDArray(dtype, next);
        reduceRun(current, shape, runs[r], target);
        [current, shape] = [target, next];
      }
    } else {
      // An arg-reduction over several runs counts positions across all of them: move them last first.
      const kept = x.shape.map((_, i) => i).filter((i) => !axes.includes(i));
      const order = [...kept, ...axes];
      const strides = stridesOf(x.shape);
      const moved = copyView(addon, x, order.map((i) => x.shape[i]), order.map((i) => strides[i]), 0, allocateFresh);
      addon.reduce(code, moved.data, sizeOf(kept.map((i) => x.shape[i])), sizeOf(axes.map((i) => x.shape[i])), 1, out.data);
    }
    return [out];
  };
}

/** The [rows, cols] of a matrix operand as the product reads it. */
const oriented = ([rows, cols]: readonly number[], transposed: boolean): [number, number] => (transposed ? [cols, rows] : [rows, cols]);

function dotKernel(addon: NativeAddon): Kernel {
  return ([a, b], attrs, node, allocate) => {
    const { transA, transB } = attrs as DotAttrs;
    const dtype = node.outputs[0].type.dtype;
    const [A, B] = [a, b].map((v) => (v.dtype === dtype ? v : v.astype(dtype)));
    // Vectors act as a 1×k row on the left and a k×1 column on the right.
    const [ar, ac] = A.rank === 2 ? A.shape : [1, A.shape[0]];
    const [br, bc] = B.rank === 2 ? B.shape : [B.shape[0], 1];
    const [m, k] = oriented([ar, ac], transA);
    const [k2, n] = oriented([br, bc], transB);
    if (k !== k2) throw new Error(`dot: a has shape [${a.shape.join(', ')}] and b [${b.shape.join(', ')}]; inner dimensions differ (${k} vs ${k2})`);
    const shape = [...(a.rank === 2 ? [m] : []), ...(b.rank === 2 ? [n] : [])];
    const out = allocate(dtype, shape);
    if (k === 0) out.data.fill(0);
    if (m > 0 && n > 0 && k > 0) addon.gemm(transA, transB, m, n, k, 1, A.data as FloatArray, ac, B.data as FloatArray, bc, 0, out.data as FloatArray, n);
    return [out];
  };
}

/**
 * β·C + α·op(A)·op(B) by one BLAS-style call accumulating into the output. The output is C's own
 * storage when the compiled function lets it overwrite C (an update W ← βW + α·xᵀg, see fn.ts);
 * otherwise C is copied into it first.
 */
function gemmKernel(addon: NativeAddon): Kernel {
  return ([c, alpha, a, b, beta], attrs, node, allocate) => {
    const { transA, transB } = attrs as DotAttrs;
    const dtype = node.outputs[0].type.dtype;
    const [m, k] = oriented(a.shape, transA);
    const [k2, n] = oriented(b.shape, transB);
    if (k !== k2 || m !== c.shape[0] || n !== c.shape[1]) {
      throw new Error(`gemm: c has shape [${c.shape.join(', ')}], a [${a.shape.join(', ')}] and b [${b.shape.join(', ')}]; the product does not fit c`);
    }
    const [al, be] = [alpha.data[0], beta.data[0]];
    const out = allocate(dtype, c.shape);
    if (out.data !== c.data && be !== 0) out.data.set(c.data);
    if (k === 0 || m === 0 || n === 0) {
      for (let i = 0; i < out.size; i++) out.data[i] = be === 0 ? 0 : be * out.data[i];
    } else {
      addon.gemm(transA, transB, m, n, k, al, a.data as FloatArray, a.shape[1], b.data as FloatArray, b.shape[1], be, out.data as FloatArray, n);
    }
    return [out];
  };
}

function nativeKernels(addon: NativeAddon): Partial<KernelTable> {
  const rows = (x: NDArray) => {
    const cols = x.shape[x.rank - 1];
    return [cols === 0 ? 0 : x.size / cols, cols];
  };
  return {
    ...elementwiseKernels(addon),
    cast: ([x], _attrs, node, allocate) => [runProgram(addon, node.outputs[0].dtype === 'int32' ? TRUNC_PROGRAM : COPY_PROGRAM, NO_CONSTS, [x], node, allocate)],
    sum: reduceKernel(addon, 'sum'),
    prod: reduceKernel(addon, 'prod'),
    max: reduceKernel(addon, 'max'),
    min: reduceKernel(addon, 'min'),
    argmax: reduceKernel(addon, 'argmax'),
    argmin: reduceKernel(addon, 'argmin'),
    dot: dotKernel(addon),
    gemm: gemmKernel(addon),
    softmax: ([x], _attrs, _node, allocate) => {
      const out = allocate(x.dtype, x.shape);
      addon.softmax(x.data as FloatArray, ...(rows(x) as [number, number]), out.data as FloatArray);
      return [out];
    },
    logSoftmax: ([x], _attrs, _node, allocate) => {
      const out = allocate(x.dtype, x.shape);
      addon.logSoftmax(x.data as FloatArray, ...(rows(x) as [number, number]), out.data as FloatArray);
      return [out];
    },
    softmaxCrossentropy: ([z, y], _attrs, _node, allocate) => {
      checkLabelRows('softmaxCrossentropy', z, y);
      const loss = allocate(z.dtype, [z.shape[0]]);
      addon.softmaxCrossentropy(z.data as FloatArray, y.data as Int32Array, z.shape[0], z.shape[1], loss.data as FloatArray);
      return [loss];
    },
    softmaxCrossentropyGrad: ([g, z, y], _attrs, _node, allocate) => {
      checkLabelRows('softmaxCrossentropyGrad', z, y, g);
      const dz = allocate(z.dtype, z.shape);
      addon.softmaxCrossentropyGrad(g.data as FloatArray, z.data as FloatArray, y.data as Int32Array, z.shape[0], z.shape[1], dz.data as FloatArray);
      return [dz];
    },
    conv2d: ([x, w], attrs, _node, allocate) => {
      const mode = attrs.mode as ConvMode;
      const [B, C, H, W] = x.shape;
      const [K, , kh, kw] = w.shape;
      const grow = mode === 'valid' ? -1 : 1;
      const out = allocate(x.dtype, [B, K, H + grow * (kh - 1), W + grow * (kw - 1)]);
      addon.conv2d(x.data as FloatArray, B, C, H, W, w.data as FloatArray, K, kh, kw, mode === 'valid' ? 0 : 1, out.data as FloatArray);
      return [out];
    },
    conv2dInputGrad: ([gy, w], attrs, _node, allocate) => {
      const [B, K, oh, ow] = gy.shape;
      const [, C, kh, kw] = w.shape;
      const grow = attrs.mode === 'valid' ? 1 : -1;
      const [H, W] = [oh + grow * (kh - 1), ow + grow * (kw - 1)];
      const gx = allocate(gy.dtype, [B, C, H, W]);
      addon.conv2dInputGrad(gy.data as FloatArray, B, C, H, W, w.data as FloatArray, K, oh, ow, kh, kw, attrs.mode === 'valid' ? 0 : 1, gx.data as FloatArray);
      return [gx];
    },
    conv2dWeightGrad: ([x, gy], attrs, _node, allocate) => {
      const [kh, kw] = attrs.filterShape as number[];
      const [B, C, H, W] = x.shape;
      const [, K, oh, ow] = gy.shape;
      const out = allocate(x.dtype, [K, C, kh, kw]);
      addon.conv2dWeightGrad(x.data as FloatArray, B, C, H, W, gy.data as FloatArray, K, oh, ow, kh, kw, attrs.mode === 'valid' ? 0 : 1, out.data as FloatArray);
      return [out];
    },
    maxPool2d: ([x], attrs, _node, allocate) => {
      const { pool, ignoreBorder } = attrs as PoolAttrs;
      const [H, W] = x.shape.slice(-2);
      const round = ignoreBorder ? Math.floor : Math.ceil;
      const out = allocate(x.dtype, [...x.shape.slice(0, -2), round(H / pool[0]), round(W / pool[1])]);
      addon.maxPool2d(x.data as FloatArray, sizeOf(x.shape.slice(0, -2)), 1, H, W, pool[0], pool[1], ignoreBorder, out.data as FloatArray);
      return [out];
    },
    maxPool2dGrad: ([x, y, gy], attrs, _node, allocate) => {
      const { pool, ignoreBorder } = attrs as PoolAttrs;
      const [H, W] = x.shape.slice(-2);
      const gx = allocate(x.dtype, x.shape);
      addon.maxPool2dGrad(x.data as FloatArray, y.data as FloatArray, gy.data as FloatArray, sizeOf(x.shape.slice(0, -2)), 1, H, W, pool[0], pool[1], ignoreBorder, gx.data as FloatArray);
      return [gx];
    },
    dimshuffle: ([x], attrs, _node, allocate) => {
      const pattern = attrs.pattern as ShufflePattern;
      const strides = stridesOf(x.shape);
      return [copyView(addon, x, pattern.map((p) => (p === 'x' ? 1 : x.shape[p])), pattern.map((p) => (p === 'x' ? 0 : strides[p])), 0, allocate)];
    },
    broadcastLike: ([x, template], _attrs, _node, allocate) => [copyView(addon, x, template.shape, broadcastStrides(x.shape, template.shape), 0, allocate)],
    subtensor: ([x, ...bounds], attrs, _node, allocate) => {
      const view = basicView(x.shape, attrs.entries as IndexEntry[], bounds);
      return [copyView(addon, x, view.shape, view.strides, view.offset, allocate)];
    },
    randomUniform: ([counter, shape], attrs, _node, allocate) => {
      const { seed, stream, dtype } = attrs as RandomUniformAttrs;
      const out = allocate(dtype, Array.from(shape.data));
      addon.philoxUniform(seed, stream, counter.data[0] >>> 0, out.data as FloatArray);
      return [out];
    },
  };
}

/** Ops that run their reference kernel on the native backend: data movement, where loops are not the cost. */
export const referenceFallbacks: readonly OpName[] = [
  'shape', 'makeVector', 'reshape', 'arange', 'concatenate', 'split', 'incSubtensor', 'advancedSubtensor', 'advancedIncSubtensor',
];

export function nativeKernelTable(addon: NativeAddon): KernelTable {
  const own = nativeKernels(addon);
  const fallbacks = Object.fromEntries(referenceFallbacks.map((name) => [name, referenceKernels[name]]));
  return { ...fallbacks, ...own } as KernelTable;
}

/** The kernel of fusedElementwise nodes, or with `sum` of fusedElementwiseSum nodes. */
export function fusedKernel(addon: NativeAddon, sum = false): Kernel {
  const programs = new WeakMap<object, { program: Int32Array; consts: Float64Array }>();
  return (inputs, attrs, node, allocate) => {
    let compiled = programs.get(attrs);
    if (!compiled) {
      const a = attrs as FusedAttrs;
      compiled = { program: Int32Array.from(a.program), consts: Float64Array.from(a.consts) };
      programs.set(attrs, compiled);
    }
    return [runProgram(addon, compiled.program, compiled.consts, inputs, node, allocate, sum)];
  };
}

