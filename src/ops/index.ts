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

provideMethodOps(methodOps);

/** Every primitive op, by name: backends must give a kernel for each (KernelTable is keyed by these). */
export const allOps = {
  ...elementwiseOps, ...reduceOps, ...shapeOps, ...linalgOps, ...indexingOps, ...nnetOps, ...convOps, ...randomOps,
};

export type OpName = keyof typeof allOps;

export * from './define-op.js';
export * from './elementwise.js';
export * from './reduce.js';
export * from './shape.js';
export * from './linalg.js';
export * from './indexing.js';
export * from './nnet.js';
export * from './conv.js';
export * from './random.js';
