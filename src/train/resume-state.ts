// Resume states: everything a killed run needs to go on as if it had never stopped. That is every
// shared variable the training step reads or writes besides the data (parameters, optimiser state,
// learning rate, random-stream counters), a copy of the best parameters, the loop's counters and the
// run's configuration, in one model file written atomically at each validation. It also records which
// gemm kernel each shape class ran (OpenBLAS or ours, measured per machine), and a resumed run runs the
// same ones, so that it continues bit for bit as if it had never stopped; the same for the sizes from which
// the kernels take several threads (a reduction split across threads sums in another order).
import { existsSync, rmSync } from 'node:fs';
import type { NDArray } from '../ndarray/index.js';
import type { SharedVariable } from '../graph/variable.js';
import { loadModelFile, saveModelFile } from '../models/model-file.js';
import { makeFolder } from '../models/atomic-write.js';
import type { LoopResult, LoopState } from '../fit/index.js';
import { keepMetrics } from './metrics.js';
import {
  asGemmChoice, asThreadChoice, gemmKernels, threadKernels, useGemmKernels, useThreadKernels, type GemmChoice,
  type ThreadChoice,
} from '../backends/index.js';

export const RESUME_KIND = 'resume-state';

/** A run's resume state; the loop's counters and result are the minibatch loop's unless another loop's are named. */
export interface ResumeState<Loop = LoopState, Result = LoopResult> {
  loop: Loop;
  /** The options of the run that wrote it; a resumed run must match them. */
  config: Record<string, unknown>;
  /** Set once the run has ended: resuming then only reports the result. */
  finished?: Result;
  /** Values of the tracked shared variables, by key. */
  variables: Record<string, NDArray>;
  /** The best parameters so far, by parameter name. */
  best: Record<string, NDArray>;
  /** The native gemm kernel of each shape class the run used (saveResumeState records the current ones). */
  gemmKernels?: GemmChoice;
  /** The kernels' thread sizes the run used. */
  threadKernels?: ThreadChoice;
}

/** Writes a resume state atomically. */
export function saveResumeState<Loop, Result>(path: string, state: ResumeState<Loop, Result>): void {
  const tensors: Record<string, NDArray> = {};
  for (const [key, value] of Object.entries(state.variables)) tensors[`state/${key}`] = value;
  for (const [key, value] of Object.entries(state.best)) tensors[`best/${key}`] = value;
  saveModelFile(path, {
    kind: RESUME_KIND,
    config: state.config,
    tensors,
    meta: { loop: state.loop, finished: state.finished ?? null, ...kernelsMeta(state.gemmKernels) },
  });
}

/**
 * What a checkpoint records of the kernels in use: each gemm shape class's, and the kernels' thread sizes (null
 * off the native backend).
 */
export function kernelsMeta(
  choice = gemmKernels(),
): { gemmKernels: GemmChoice | null; threadKernels: ThreadChoice | null } {
  return { gemmKernels: choice ?? null, threadKernels: threadKernels() ?? null };
}

/** Runs the gemm kernels and thread sizes a checkpoint's meta recorded, if it recorded them; returns the gemm ones. */
export function restoreKernels(meta: Record<string, unknown> | undefined): GemmChoice | undefined {
  const choice = asGemmChoice(meta?.gemmKernels);
  if (choice) useGemmKernels(choice);
  const threads = asThreadChoice(meta?.threadKernels);
  if (threads) useThreadKernels(threads);
  return choice;
}

/** Reads a resume state, or undefined when there is none. */
export function loadResumeState<Loop = LoopState, Result = LoopResult>(
  path: string,
): ResumeState<Loop, Result> | undefined {
  if (!existsSync(path)) return undefined;
  const file = loadModelFile(path, RESUME_KIND);
  const pick = (prefix: string) =>
    Object.fromEntries(
      Object.entries(file.tensors).filter(([k]) => k.startsWith(prefix)).map(([k, v]) => [k.slice(prefix.length), v]),
    );
  const meta = file.meta as { loop?: Loop; finished?: Result | null; gemmKernels?: unknown; threadKernels?: unknown };
  if (!meta.loop) throw new Error(`${path}: a resume state without its loop counters`);
  return {
    loop: meta.loop, config: file.config, finished: meta.finished ?? undefined, variables: pick('state/'), best: pick('best/'),
    gemmKernels: asGemmChoice(meta.gemmKernels), threadKernels: asThreadChoice(meta.threadKernels),
  };
}

/**
 * Marks the resume state at `path` as a finished run's, keeping the variables it holds (those of the last
 * checkpoint, not the best ones restored after it), so that a later, longer run continues from there bit
 * for bit, as from a killed run.
 */
export function markFinished<Loop, Result>(path: string, result: Result): void {
  const saved = loadResumeState<Loop, Result>(path);
  if (saved) saveResumeState(path, { ...saved, finished: result });
}

/**
 * Whether a finished run, resumed with `maxEpochs`, trains on: it stopped at its last epoch and more are
 * asked for. When more are asked for but it stopped early, a line on standard error says why it does not.
 * @example if (continuesFinished(saved.finished, 30, 'runs/mlp/resume.nbm')) finished = undefined;
 */
export function continuesFinished(
  finished: { stoppedBy: string; epochs: number } | undefined, maxEpochs: number, path: string,
): boolean {
  if (!finished || !(maxEpochs > finished.epochs)) return false;
  if (finished.stoppedBy === 'epochs') {
    console.error(`nabla: ${path}: the run ended after ${finished.epochs} epochs; continuing to ${maxEpochs}`);
    return true;
  }
  console.error(`nabla: ${path}: the run stopped by ${finished.stoppedBy} after ${finished.epochs} epochs, ` +
    `before its last epoch; more --epochs would not change that, so its result stands`);
  return false;
}

/** The options that differ between a saved run and this one, as "name: saved → now". */
export function configDifferences(saved: Record<string, unknown>, now: Record<string, unknown>): string[] {
  const keys = [...new Set([...Object.keys(saved), ...Object.keys(now)])];
  const show = (v: unknown) => (v === undefined ? 'default' : JSON.stringify(v));
  return keys.filter((k) => show(saved[k]) !== show(now[k])).map((k) => `${k}: ${show(saved[k])} → ${show(now[k])}`);
}

/** Restores tracked variables from a resume state, checking that every one is there with its shape. */
export function restoreVariables(
  path: string, tracked: Map<string, SharedVariable>, values: Record<string, NDArray>,
): void {
  for (const [key, variable] of tracked) {
    const value = values[key];
    if (!value) throw new Error(`${path}: has no value for ${key}; it was written by a different model or optimiser`);
    try {
      variable.set(value);
    } catch (e) {
      throw new Error(`${path}: ${(e as Error).message}; it was written by a different model or optimiser`, { cause: e });
    }
  }
}

/** The values of tracked variables, by key, as a resume state stores them. */
export function trackedValues(tracked: Map<string, SharedVariable>): Record<string, NDArray> {
  return Object.fromEntries([...tracked].map(([key, v]) => [key, v.value]));
}

/**
 * Opens a run's files under `out`: with `resume`, the saved state, checked against the run's options,
 * its tracked variables and gemm kernels restored; without (or when there is none yet), the old resume state
 * and metrics removed. Returns the saved state, if it was resumed.
 * @example const saved = openRun(runFiles('runs/mlp'), { out: 'runs/mlp', resume: true, runConfig }, training.state);
 */
export function openRun<Loop = LoopState, Result = LoopResult>(
  files: { resume: string; metrics: string } | undefined,
  options: { out?: string; resume?: boolean; runConfig: Record<string, unknown>; stage?: string },
  tracked: Map<string, SharedVariable>,
): ResumeState<Loop, Result> | undefined {
  let saved: ResumeState<Loop, Result> | undefined;
  if (files && options.resume) {
    saved = loadResumeState<Loop, Result>(files.resume);
    if (!saved) {
      console.error(`nabla: ${files.resume} does not exist; starting from the beginning`);
    } else {
      const differences = configDifferences(saved.config, options.runConfig);
      if (differences.length) throw new Error(`${files.resume}: was written by a run with other options (${differences.join('; ')}); resume with the same options or start again without --resume`);
      restoreVariables(files.resume, tracked, saved.variables);
      restoreKernels({ gemmKernels: saved.gemmKernels, threadKernels: saved.threadKernels });
    }
  }
  if (options.out) makeFolder(options.out);
  if (files && !saved) {
    // A stage of a longer run (fine-tuning after pre-training) keeps the rows of the stages before it.
    if (options.stage === undefined) rmSync(files.metrics, { force: true });
    else keepMetrics(files.metrics, (r) => r.stage !== options.stage);
    rmSync(files.resume, { force: true });
  }
  return saved;
}
