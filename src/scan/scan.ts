// nb.scan: Theano's contract for loops in the graph, on top of the scan op (ops/scan.ts).
import { Variable, type SharedVariable } from '../graph/variable.js';
import { asVariable, at, loop, minimum, slice, type StateSpec, type TensorLike } from '../ops/index.js';

/** A recurrent output's initial value and the earlier steps the step reads (negative, as Theano's taps). */
export interface TapsInfo {
  initial: TensorLike;
  taps: readonly number[];
}

/** Per output: null (not fed back), its initial value (fed back from one step before), or initial rows with taps. */
export type OutputInfo = null | TensorLike | TapsInfo;

export interface ScanOptions {
  /** Tensors read one row (axis 0) per step. */
  sequences?: Variable | readonly Variable[];
  /** One entry per output of the step; leave out when no output is fed back. */
  outputsInfo?: OutputInfo | readonly OutputInfo[];
  /** Values every step receives after the sequences and earlier outputs. */
  nonSequences?: readonly TensorLike[];
  /** The number of steps (a number or an int32 scalar); default: the shortest sequence's length. */
  nSteps?: number | Variable;
  /** Read the sequences from their last row to their first. */
  goBackwards?: boolean;
  /** Back-propagate through only this many of the last steps (default: all of them). */
  truncateGradient?: number;
}

/** The steps' outputs, stacked over time, and the updates of the random streams the step drew from. */
export type ScanResult = [Variable[], [SharedVariable, Variable][]];

type Step = (...args: Variable[]) => TensorLike | readonly TensorLike[];

const isTapsInfo = (info: OutputInfo): info is TapsInfo =>
  typeof info === 'object' && info !== null && !(info instanceof Variable) && !Array.isArray(info) && 'initial' in info;

function stateSpec(info: TensorLike | TapsInfo, index: number): StateSpec {
  const label = `outputs[${index}]`;
  if (!isTapsInfo(info)) return { initial: asVariable(info).dimshuffle(['x', ...asVariable(info).type.shape.map((_, d) => d)]), taps: [-1], label };
  const { taps } = info;
  if (taps.length === 0 || taps.some((k) => !Number.isInteger(k) || k >= 0) || new Set(taps).size !== taps.length) {
    throw new Error(`scan: ${label} has taps [${taps.join(', ')}]; they must be distinct negative integers`);
  }
  const initial = asVariable(info.initial);
  if (initial.ndim === 0) throw new Error(`scan: ${label} reads ${-Math.min(...taps)} steps back, so its initial value needs one row per step (it is a scalar)`);
  return { initial: at(initial, slice(0, -Math.min(...taps))), taps, label };
}

/**
 * A loop in the graph (Theano's scan). `step` receives row t of each sequence, then the earlier values of
 * each fed-back output (one per tap), then the non-sequences, and returns the step's outputs. Whatever
 * else it uses (weights, other expressions) is read from outside; random streams it draws from advance
 * every step, and their updates come back for `fn`.
 * @example
 * const step = (x: Variable, hPrev: Variable) => x.dot(Wx).add(hPrev.dot(Wh)).tanh();
 * const [[h], updates] = nb.scan(step, { sequences: xs, outputsInfo: h0 });
 */
export function scan(step: Step, options: ScanOptions = {}): ScanResult {
  const given = options.sequences ?? [];
  let sequences = given instanceof Variable ? [given] : [...given];
  if (options.goBackwards) sequences = sequences.map((s) => at(s, slice(null, null, -1)));
  sequences.forEach((s, i) => {
    if (s.ndim === 0) throw new Error(`scan: sequences[${i}] (${s}) is a scalar; a sequence is read one row at a time`);
  });
  const nSteps = options.nSteps !== undefined
    ? asVariable(options.nSteps, 'int32')
    : sequences.map((s) => s.shape.at(0)).reduce<Variable | undefined>((a, b) => (a ? minimum(a, b) : b), undefined);
  if (!nSteps) throw new Error('scan: give nSteps when there are no sequences');
  if (nSteps.dtype !== 'int32' || nSteps.ndim !== 0) throw new Error(`scan: nSteps is ${nSteps.type}; it must be an int32 scalar`);

  const infoList = options.outputsInfo;
  const infos: OutputInfo[] | undefined =
    infoList === undefined ? undefined : Array.isArray(infoList) ? [...infoList] : [infoList as OutputInfo];
  const stateIndex = (infos ?? []).flatMap((info, i) => (info === null ? [] : [i]));
  const states = stateIndex.map((i) => stateSpec(infos![i]!, i));
  const nonSequences = (options.nonSequences ?? []).map((v) => asVariable(v));

  let outputCount = 0;
  const built = loop({
    nSteps,
    sequences,
    states,
    nonSequences,
    userLoop: true,
    truncate: options.truncateGradient === undefined || options.truncateGradient < 0 ? null : options.truncateGradient,
    step: (rows, taps, shared) => {
      const returned = step(...rows, ...taps.flat(), ...shared);
      const list = (Array.isArray(returned) ? returned : [returned]) as TensorLike[];
      if (infos && list.length !== infos.length) {
        throw new Error(`scan: the step returns ${list.length} outputs but outputsInfo has ${infos.length} entries`);
      }
      outputCount = list.length;
      const vars = list.map((v, i) => asVariable(v, states[stateIndex.indexOf(i)]?.initial.dtype));
      return { states: stateIndex.map((i) => vars[i]), outputs: vars.filter((_, i) => !stateIndex.includes(i)) };
    },
  });

  let plain = 0;
  const outputs = Array.from({ length: outputCount }, (_, i) => {
    const j = stateIndex.indexOf(i);
    // A fed-back output's rows start with its initial ones, which are not the step's outputs.
    return j < 0 ? built.outputs[plain++] : at(built.states[j], slice(-Math.min(...states[j].taps)));
  });
  return [outputs, built.streams];
}
