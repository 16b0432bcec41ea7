// Running a compilation: its nodes in the planned order, each writing into the buffer the plan gives it
// (a shared variable's own storage, last call's buffer, or a fresh one), then the updates applied.
import { NDArray, sameShape, sizeOf } from '../ndarray/index.js';
import { graphLeaves, topoSort } from '../graph/traverse.js';
import { Constant, SharedVariable, type Apply, type Variable } from '../graph/variable.js';
import type { Allocate, Backend, Kernel } from '../backends/backend.js';
import { host } from '../backends/host.js';
import { runInPlaceLast } from './in-place.js';
import { compile, unplanned, type Compilation } from './pipeline.js';
import { scanOp, type ScanAttrs } from '../ops/index.js';
import { scanKernel } from './scan-kernel.js';
import { profiled } from './profile.js';

/** Where shared variables keep their values: the variables themselves, or check mode's private copies. */
export interface SharedStorage {
  get(v: SharedVariable): NDArray;
  /** Makes `value` v's storage and returns the previous one. */
  swap(v: SharedVariable, value: NDArray): NDArray;
}

export const sharedVariables: SharedStorage = { get: (v) => v.value, swap: (v, value) => v.swap(value) };

/**
 * Private copies of the current values of `targets` (the variables a function updates), which running
 * leaves untouched; other shared variables are only read, from themselves.
 */
export function copiesOf(targets: readonly SharedVariable[]): SharedStorage {
  const values = new Map(targets.map((v) => [v, v.value.clone()]));
  return {
    get: (v) => values.get(v) ?? v.value,
    swap: (v, value) => {
      const old = values.get(v)!;
      values.set(v, value);
      return old;
    },
  };
}

/** One call: the outputs' values, after the updates have been applied to `storage`. */
export type Run = (args: readonly NDArray[], storage: SharedStorage) => NDArray[];

/** Scan's kernel: its step compiled for the same backend, outputs pooled (each is copied out at once). */
function compiledScan(backend: Backend, node: Apply): Kernel {
  const { graph } = node.attrs as ScanAttrs;
  const { outputs } = graph;
  const step = compile({ backend, graph: outputs, outputCount: outputs.length, targets: [], plan: unplanned });
  const pooled = { ...step.plan, memory: { escaping: new Set<Variable>(), swapped: [] } };
  const run = executable({ ...step, plan: pooled }, graph.inputs);
  return scanKernel(node, (args) => run(args, sharedVariables));
}

function kernelFor(backend: Backend, node: Apply): Kernel {
  const k = node.op.name === scanOp.name ? compiledScan(backend, node) : backend.extraKernels?.[node.op.name] ??
    (backend.kernels as Record<string, Kernel | undefined>)[node.op.name];
  if (!k) throw new Error(`fn: the ${backend.name} backend has no kernel for ${node.op.name}`);
  return host().env('NABLA_PROFILE') ? profiled(k, node) : k;
}

/** A dependency order too: every node is made after the nodes computing its inputs. */
const creationOrder = (graph: readonly Variable[]) => topoSort(graph).sort((a, b) => a.outputs[0].id - b.outputs[0].id);

/** `c` as a function of `inputs` (given in that order); its buffers persist between calls as planned. */
export function executable(c: Compilation, inputs: readonly Variable[]): Run {
  const { graph, outputCount, targets, plan } = c;
  const { inPlace, memory } = plan;
  const nodes = plan.order ?? runInPlaceLast(creationOrder(graph), inPlace);
  const kernels = nodes.map((node) => kernelFor(c.backend, node));
  const pools = new Map<Variable, NDArray>();
  // Every value has a slot in one array, so a call looks nothing up by variable: for the small steps of
  // a scan, run thousands of times, the lookups cost as much as the kernels.
  const slots = new Map<Variable, number>();
  const slot = (v: Variable) => slots.get(v) ?? (slots.set(v, slots.size), slots.size - 1);
  const leaves = graphLeaves(graph);
  const inputSlots = inputs.map(slot);
  const constants = leaves.filter((l) => l instanceof Constant).map((l) => [slot(l), (l as Constant).value] as const);
  const shared = leaves.filter((l) => l instanceof SharedVariable).map((l) => [slot(l), l as SharedVariable] as const);
  const nodeInputs = nodes.map((node) => node.inputs.map(slot));
  const nodeOutputs = nodes.map((node) => node.outputs.map(slot));
  let values: NDArray[] = [];
  const allocators: Allocate[] = nodes.map((node) => {
    const target = inPlace.get(node);
    const targetSlot = target && slot(target);
    return (dtype, shape, output = 0) => {
      const storage = targetSlot !== undefined ? values[targetSlot] : undefined;
      if (storage && storage.dtype === dtype && sameShape(storage.shape, shape)) return storage;
      if (!memory) return new NDArray(dtype, shape);
      const v = node.outputs[output];
      const pooled = pools.get(v);
      if (pooled && pooled.dtype === dtype && pooled.size === sizeOf(shape)) {
        return sameShape(pooled.shape, shape) ? pooled : new NDArray(dtype, shape, pooled.data);
      }
      const fresh = new NDArray(dtype, shape);
      if (!memory.escaping.has(v)) pools.set(v, fresh);
      return fresh;
    };
  });
  const outputSlots = graph.slice(0, outputCount).map(slot);
  const updateSlots = targets.map((_, i) => slot(graph[outputCount + i]));
  return (args, storage) => {
    values = new Array<NDArray>(slots.size);
    inputSlots.forEach((s, i) => void (values[s] = args[i]));
    for (const [s, value] of constants) values[s] = value;
    for (const [s, v] of shared) values[s] = storage.get(v);
    for (let n = 0; n < nodes.length; n++) {
      const results = kernels[n](nodeInputs[n].map((s) => values[s]), nodes[n].attrs, nodes[n], allocators[n]);
      const outs = nodeOutputs[n];
      for (let i = 0; i < outs.length; i++) values[outs[i]] = results[i];
    }
    // Every update reads the old values, so they are applied only once everything is computed.
    targets.forEach((target, i) => {
      const v = graph[outputCount + i];
      const value = values[updateSlots[i]];
      if (!memory?.swapped[i]) {
        storage.swap(target, value.clone());
        return;
      }
      // The old storage becomes the buffer the node computes the next call's value into.
      const old = storage.swap(target, value);
      pools.set(v, old);
    });
    return outputSlots.map((s) => values[s]);
  };
}
