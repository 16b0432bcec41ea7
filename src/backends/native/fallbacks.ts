// What the native backend leaves to the reference kernels, and the type that makes tsc hold it to that:
// every op either has a native kernel in its family's table or is listed here.
import type { KernelOpName } from '../../ops/index.js';
import type { Kernel } from '../backend.js';

/** Ops that run their reference kernel on the native backend: data movement, where loops are not the cost. */
export const referenceFallbacks = [
  'shape', 'makeVector', 'reshape', 'arange', 'concatenate', 'split', 'incSubtensor', 'advancedSubtensor', 'advancedIncSubtensor',
  'cumsum',
] as const satisfies readonly KernelOpName[];

export type ReferenceFallback = (typeof referenceFallbacks)[number];

/** A family's native kernels: one per op of the family that is not a reference fallback. */
export type NativeKernelsFor<Ops> = Record<Exclude<keyof Ops, ReferenceFallback>, Kernel>;

/** The whole native table: tsc names any op that has neither a native kernel nor a fallback entry. */
export type NativeKernelTable = NativeKernelsFor<Record<KernelOpName, unknown>>;
