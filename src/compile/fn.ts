// fn(): compiles a graph once into a function called many times. Compilation:
//  1. checks the inputs and updates, and adds the default updates of random streams;
//  2. substitutes the givens;
//  3. optimizes (pipeline.ts: folding, merging, stable forms, specialisations, backend phases);
//  4. checks that every remaining input is provided, and schedules the nodes in dependency order.
// A call validates its arguments, runs the kernels, then applies all updates at once, after every
// output is computed, as in Theano.
import { array, formatShape, NDArray, sameShape, sizeOf, type Nested, type TypedArray } from '../ndarray/index.js';
import { rebuild } from '../graph/rewrite.js';
import { graphLeaves, topoSort, useCounts } from '../graph/traverse.js';
import { Constant, isInput, SharedVariable, Variable, type Apply } from '../graph/variable.js';
import { asVariable, type TensorLike } from '../ops/index.js';
import { getBackend, type Allocate, type Backend, type Kernel } from '../backends/index.js';
import { inPlaceUpdates, runInPlaceLast } from './in-place.js';
import { optimize } from './pipeline.js';
import { profiled } from './profile.js';

export type Update = readonly [SharedVariable, TensorLike];
export type Given = readonly [Variable, TensorLike];
export type Argument = NDArray | Nested | TypedArray;
export type Result = NDArray | number;

export interface FnOptions {
  updates?: readonly Update[] | ReadonlyMap<SharedVariable, TensorLike>;
  givens?: readonly Given[] | ReadonlyMap<Variable, TensorLike>;
  /** Runs on this backend instead of the current one. */
  backend?: Backend;
  name?: string;
}

export interface CompiledFunction {
  (...args: Argument[]): Result | Result[] | undefined;
  readonly backend: Backend;
  /** The optimized graph, as debugPrint shows it. */
  readonly nodes: readonly Apply[];
}

function checkUpdate(where: string, target: Variable, value: Variable): void {
  if (!(target instanceof SharedVariable)) throw new Error(`${where}: ${target} is not a shared variable, so it cannot be updated`);
  const fits = value.dtype === target.dtype && value.ndim === target.ndim && target.type.shape.every((d, i) => d === null || value.type.shape[i] === null || value.type.shape[i] === d);
  if (!fits) throw new Error(`${where}: ${target} is ${target.type} but its new value is ${value.type}`);
}

function collectUpdates(options: FnOptions, outputs: readonly Variable[]): [SharedVariable, Variable][] {
  const given = options.updates instanceof Map ? [...options.updates] : [...((options.updates as readonly Update[] | undefined) ?? [])];
  const updates: [SharedVariable, Variable][] = given.map(([target, value]) => {
    const v = asVariable(value, target?.dtype);
    checkUpdate('fn: updates', target, v);
    return [target, v];
  });
  const seen = new Set<Variable>();
  for (const [target] of updates) {
    if (seen.has(target)) throw new Error(`fn: ${target} is updated twice`);
    seen.add(target);
  }
  // Random streams advance their counters unless the user said otherwise.
  const pending = [...outputs, ...updates.map(([, v]) => v)];
  for (let i = 0; i < pending.length; i++) {
    for (const leaf of graphLeaves([pending[i]])) {
      if (leaf instanceof SharedVariable && leaf.defaultUpdate && !seen.has(leaf)) {
        seen.add(leaf);
        updates.push([leaf, leaf.defaultUpdate]);
        pending.push(leaf.defaultUpdate);
      }
    }
  }
  return updates;
}

function givensMap(options: FnOptions): Map<Variable, Variable> {
  const pairs = options.givens instanceof Map ? [...options.givens] : [...((options.givens as readonly Given[] | undefined) ?? [])];
  return new Map(
    pairs.map(([target, value]) => {
      const v = asVariable(value, target.dtype);
      if (v.dtype !== target.dtype || v.ndim !== target.ndim) throw new Error(`fn: givens: ${target} is ${target.type} but its replacement is ${v.type}`);
      return [target, v];
    }),
  );
}

/** An argument as an NDArray of the input's type, or an error naming the input and the mismatch. */
function toArgument(input: Variable, value: Argument, position: number): NDArray {
  const where = `input ${position} (${input.name ?? 'unnamed'}, ${input.type})`;
  let arr: NDArray;
  if (value instanceof NDArray) {
    if (value.dtype !== input.dtype) throw new Error(`${where}: got a ${value.dtype} array; convert it with .astype('${input.dtype}')`);
    arr = value;
  } else {
    try {
      arr = array(value as Nested, input.dtype);
    } catch (e) {
      throw new Error(`${where}: ${(e as Error).message}`, { cause: e });
    }
  }
  if (arr.rank !== input.ndim || input.type.shape.some((d, i) => d !== null && d !== arr.shape[i])) {
    throw new Error(`${where}: got shape ${formatShape(arr.shape)}`);
  }
  return arr;
}

/**
 * Compiles `outputs` as a function of `inputs`, applying `updates` to shared variables after each call.
 * @example const train = nb.fn([x, y], cost, { updates: nb.sgd(cost, [W, b], 0.13) });
 */
export function fn(inputs: readonly Variable[], outputs?: Variable | readonly Variable[] | null, options: FnOptions = {}): CompiledFunction {
  const single = outputs instanceof Variable;
  const outs = outputs == null ? [] : single ? [outputs as Variable] : [...(outputs as readonly Variable[])];
  inputs.forEach((v, i) => {
    if (!(v instanceof Variable) || !isInput(v)) throw new Error(`fn: inputs[${i}] (${String(v)}) is not an input variable; shared variables and constants are not passed in`);
    if (inputs.indexOf(v) !== i) throw new Error(`fn: ${v} is given twice as an input`);
  });
  const updates = collectUpdates(options, outs);
  const givens = givensMap(options);
  const substituted = rebuild([...outs, ...updates.map(([, v]) => v)], { replace: givens }).outputs;
  const backend = options.backend ?? getBackend();
  const optimized = optimize(substituted, backend.phases);
  const finalOuts = optimized.slice(0, outs.length);
  const finalUpdates = optimized.slice(outs.length);

  for (const leaf of graphLeaves(optimized)) {
    if (isInput(leaf) && !inputs.includes(leaf)) {
      throw new Error(`fn: the outputs depend on ${leaf} (${leaf.type}), which is not among the inputs [${inputs.join(', ')}] nor given`);
    }
  }
  // Outputs go to the caller, and a value assigned to two shared variables would alias them.
  const escaping = new Set<Variable>(finalOuts);
  finalUpdates.forEach((v, i) => finalUpdates.indexOf(v) !== i && escaping.add(v));
  const targets = updates.map(([t]) => t);
  const inPlace = inPlaceUpdates(targets.map((t, i) => [t, finalUpdates[i]] as const), finalOuts, useCounts(optimized));
  const plan = schedule(optimized, inputs, backend, escaping, inPlace);

  const call = (...args: Argument[]): Result | Result[] | undefined => {
    if (args.length !== inputs.length) {
      throw new Error(`${options.name ?? 'compiled function'}: expected ${inputs.length} arguments (${inputs.join(', ')}), got ${args.length}`);
    }
    backend.beginCall?.();
    const values = plan.run(args.map((a, i) => toArgument(inputs[i], a, i)));
    const results = finalOuts.map((v) => {
      const value = values.get(v)!;
      return v.ndim === 0 ? value.data[0] : v instanceof SharedVariable ? value.clone() : value;
    });
    finalUpdates.forEach((v, i) => {
      const value = values.get(v)!;
      const owned = v.owner && !escaping.has(v) && finalUpdates.indexOf(v) === i;
      const old = targets[i].swap(owned ? value : value.clone());
      if (owned) plan.recycle(v, old);
    });
    return single ? results[0] : outputs == null ? undefined : results;
  };
  return Object.assign(call, { backend, nodes: topoSort(optimized) });
}

interface Schedule {
  /** Every variable's value for one call. */
  run(args: NDArray[]): Map<Variable, NDArray>;
  /** Hands a shared variable's previous storage to the node that computed its new value, for reuse. */
  recycle(v: Variable, old: NDArray): void;
}

/**
 * The nodes computing `outputs`, in order. Each node output keeps its buffer from call to call unless
 * it escapes to the caller (`escaping`); an update swaps buffers with its shared variable instead, and
 * a node in `inPlace` writes into its shared variable's storage.
 */
function schedule(outputs: readonly Variable[], inputs: readonly Variable[], backend: Backend, escaping: ReadonlySet<Variable>, inPlace: ReadonlyMap<Apply, SharedVariable>): Schedule {
  const nodes = runInPlaceLast(topoSort(outputs), inPlace);
  const kernels = nodes.map((node) => {
    const k = (backend.extraKernels?.[node.op.name] ?? (backend.kernels as Record<string, Kernel | undefined>)[node.op.name]);
    if (!k) throw new Error(`fn: the ${backend.name} backend has no kernel for ${node.op.name}`);
    return process.env.NABLA_PROFILE ? profiled(k, node) : k;
  });
  const pools = new Map<Variable, NDArray>();
  let values = new Map<Variable, NDArray>();
  const allocators: Allocate[] = nodes.map((node) => {
    const target = inPlace.get(node);
    return (dtype, shape, output = 0) => {
      const storage = target && values.get(target);
      if (storage && storage.dtype === dtype && sameShape(storage.shape, shape)) return storage;
      const v = node.outputs[output];
      const pooled = pools.get(v);
      if (pooled && pooled.dtype === dtype && pooled.size === sizeOf(shape)) return sameShape(pooled.shape, shape) ? pooled : new NDArray(dtype, shape, pooled.data);
      const fresh = new NDArray(dtype, shape);
      if (!escaping.has(v)) pools.set(v, fresh);
      return fresh;
    };
  });
  const leaves = graphLeaves(outputs);
  return {
    run(args) {
      values = new Map<Variable, NDArray>();
      inputs.forEach((v, i) => values.set(v, args[i]));
      for (const leaf of leaves) {
        if (leaf instanceof Constant) values.set(leaf, leaf.value);
        else if (leaf instanceof SharedVariable) values.set(leaf, leaf.value);
      }
      nodes.forEach((node, n) => {
        const results = kernels[n](node.inputs.map((v) => values.get(v)!), node.attrs, node, allocators[n]);
        node.outputs.forEach((o, i) => values.set(o, results[i]));
      });
      return values;
    },
    recycle(v, old) {
      if (v.owner && !escaping.has(v)) pools.set(v, old);
    },
  };
}
