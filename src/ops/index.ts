// ops/: every op declaration, by family; each family exports its ops keyed by name, and `allOps` only
// spreads them. The op functions behind the method syntax (x.add(y)) are handed to graph/ here.
import { provideMethodOps } from '../graph/variable.js';
import { methodOps } from './methods.js';
import { elementwiseOps } from './elementwise.js';
import { reduceOps } from './reduce.js';
import { shapeOps } from './shape.js';
import { linalgOps } from './linalg.js';
import { indexingOps } from './indexing.js';
import { nnetOps } from './nnet.js';
import { convOps } from './conv.js';
import { randomOps } from './random.js';
import { scanOps } from './scan.js';

provideMethodOps(methodOps);

/**
 * Ops the compiler runs itself, so no backend has a kernel for them: scan runs its step as a compiled
 * function (compile/scan-kernel.ts).
 */
export const compilerOps = { ...scanOps };

/** Every primitive op, by name. */
export const allOps = {
  ...elementwiseOps, ...reduceOps, ...shapeOps, ...linalgOps, ...indexingOps, ...nnetOps, ...convOps, ...randomOps,
  ...compilerOps,
};

export type OpName = keyof typeof allOps;

/** The ops every backend must give a kernel for (KernelTable is keyed by these). */
export type KernelOpName = Exclude<OpName, keyof typeof compilerOps>;

export * from './define-op.js';
export * from './elementwise.js';
export * from './reduce.js';
export * from './shape.js';
export * from './linalg.js';
export * from './indexing.js';
export * from './nnet.js';
export * from './conv.js';
export * from './random.js';
export * from './scan.js';
export type { Loop, LoopSpec, ScanAttrs, StateSpec } from './scan-graph.js';
export { ScanGraph, streamsAfterScans } from './scan-graph.js';
