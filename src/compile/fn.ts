// fn(): compiles a graph once into a function called many times. Compilation:
//  1. checks the inputs and updates, and adds the default updates of random streams;
//  2. substitutes the givens;
//  3. runs the pipeline (pipeline.ts): the graph phases (merging, folding, stable forms,
//     specialisations, gemm, the backend's fusion), then the plan phases (in-place updates, the memory
//     plan, the schedule);
//  4. checks that every remaining input is provided.
// A call validates its arguments, runs the kernels (executable.ts), then applies all updates at once,
// after every output is computed, as in Theano. In check mode (check.ts) the first call first checks
// that no phase changed a value.
import { array, formatShape, NDArray, type Nested, type TypedArray } from '../ndarray/index.js';
import { rebuild } from '../graph/rewrite.js';
import { graphLeaves, topoSort } from '../graph/traverse.js';
import { isInput, SharedVariable, Variable, type Apply } from '../graph/variable.js';
import { asVariable, streamsAfterScans, type TensorLike } from '../ops/index.js';
import { getBackend, type Backend } from '../backends/index.js';
import { checkedOnFirstCall, type CheckOption } from './check.js';
import { executable, sharedVariables } from './executable.js';
import { exactInt32 } from './int-arguments.js';
import { compile, unplanned, type Compilation } from './pipeline.js';

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
  /**
   * Check mode (also NABLA_CHECK=1): the first call first checks that no compile phase changes a value,
   * throws naming the first one that does, and prints what it checked (a function gets the report instead).
   */
  check?: CheckOption;
}

/** What `fn` compiles: one variable, a list of them, or nothing (a function run for its updates). */
export type Outputs = Variable | readonly Variable[] | null | undefined;

/**
 * What a call returns for one output: a number for a variable whose type says it is a scalar (`nb.nll`,
 * `nb.mean` over all axes); otherwise an NDArray, or a number when the variable is 0-dimensional at run time.
 */
export type ResultOf<O> = O extends { readonly ndim: 0 } ? number : Result;

/** What a call returns: one result for one output, a tuple for a list, undefined for none. */
export type ResultsOf<O extends Outputs> = O extends Variable ? ResultOf<O>
  : O extends readonly Variable[] ? { -readonly [K in keyof O]: ResultOf<O[K]> }
  : undefined;

/** A call's parameters: one argument per input, in order. */
export type ArgumentsOf<I extends readonly Variable[]> = { -readonly [K in keyof I]: Argument };

/**
 * A compiled function. `nb.fn([x, y], cost)` is typed `(x: Argument, y: Argument) => number` when cost is a
 * scalar by type: its parameters follow the inputs and its result the outputs.
 */
export interface CompiledFunction<I extends readonly Variable[] = readonly Variable[], O extends Outputs = Outputs> {
  (...args: ArgumentsOf<I>): ResultsOf<O>;
  readonly backend: Backend;
  /** The optimized graph, as debugPrint shows it. */
  readonly nodes: readonly Apply[];
}

function checkUpdate(where: string, target: Variable, value: Variable): void {
  if (!(target instanceof SharedVariable)) throw new Error(`${where}: ${target} is not a shared variable, so it cannot be updated`);
  const fits = value.dtype === target.dtype &&
    value.ndim === target.ndim &&
    target.type.shape.every((d, i) => d === null || value.type.shape[i] === null || value.type.shape[i] === d);
  if (!fits) throw new Error(`${where}: ${target} is ${target.type} but its new value is ${value.type}`);
}

function collectUpdates(options: FnOptions, outputs: readonly Variable[]): [SharedVariable, Variable][] {
  const given = options.updates instanceof Map
    ? [...options.updates]
    : [...((options.updates as readonly Update[] | undefined) ?? [])];
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
  // Random streams advance their counters unless the user said otherwise: past every step of a scan
  // that draws from them, else by one.
  const pending = [...outputs, ...updates.map(([, v]) => v)];
  const scanned = streamsAfterScans(pending);
  for (let i = 0; i < pending.length; i++) {
    for (const leaf of graphLeaves([pending[i]])) {
      if (leaf instanceof SharedVariable && leaf.defaultUpdate && !seen.has(leaf)) {
        const next = scanned.get(leaf) ?? leaf.defaultUpdate;
        seen.add(leaf);
        updates.push([leaf, next]);
        pending.push(next);
      }
    }
  }
  return updates;
}

function givensMap(options: FnOptions): Map<Variable, Variable> {
  const pairs = options.givens instanceof Map
    ? [...options.givens]
    : [...((options.givens as readonly Given[] | undefined) ?? [])];
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
      arr = input.dtype === 'int32' ? exactInt32(value as Nested) : array(value as Nested, input.dtype);
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
export function fn<const I extends readonly Variable[], const O extends Outputs = undefined>(
  inputs: I, outputs?: O, options: FnOptions = {},
): CompiledFunction<I, O> {
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
  const check = options.check ?? Boolean(process.env.NABLA_CHECK && process.env.NABLA_CHECK !== '0');
  const start: Compilation = {
    backend,
    graph: substituted,
    outputCount: outs.length,
    targets: updates.map(([t]) => t),
    plan: unplanned,
  };
  const trace = check ? [start] : undefined;
  const compiled = compile(start, trace);

  for (const leaf of graphLeaves(compiled.graph)) {
    if (isInput(leaf) && !inputs.includes(leaf)) {
      throw new Error(`fn: the outputs depend on ${leaf} (${leaf.type}), which is not among the inputs [${inputs.join(', ')}] nor given`);
    }
  }
  const run = executable(compiled, inputs);
  const name = options.name ?? 'compiled function';
  const argumentsOf = (args: Argument[]): NDArray[] => {
    if (args.length !== inputs.length) throw new Error(`${name}: expected ${inputs.length} arguments (${inputs.join(', ')}), got ${args.length}`);
    return args.map((a, i) => toArgument(inputs[i], a, i));
  };
  const finalOuts = compiled.graph.slice(0, outs.length);
  // Every result is the caller's own: a scalar comes back as a number; an output computed by a node gets
  // a fresh buffer every call (the memory plan never pools it). Only a leaf (an input, a constant left by
  // folding, a shared variable's value) and a second output of the same variable are copied.
  const copied = finalOuts.map((v, i) => v.ndim > 0 && (v.owner === null || finalOuts.indexOf(v) < i));
  const result = (value: NDArray, i: number): Result =>
    (finalOuts[i].ndim === 0 ? value.data[0] : copied[i] ? value.clone() : value);
  const call = (...args: Argument[]): Result | Result[] | undefined => {
    const values = argumentsOf(args);
    backend.beginCall?.();
    const results = run(values, sharedVariables).map(result);
    return single ? results[0] : outputs == null ? undefined : results;
  };
  const checked = trace
    ? checkedOnFirstCall(call, (args) => ({ trace, inputs, args: argumentsOf(args), name: options.name }), check)
    : call;
  return Object.assign(checked, { backend, nodes: topoSort(compiled.graph) }) as unknown as CompiledFunction<I, O>;
}
