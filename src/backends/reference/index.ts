// The reference backend: plain TypeScript loops in float32 and float64. It defines what each op
// computes and is the oracle every other backend is tested against; clarity before speed.
import type { Backend, KernelTable } from '../backend.js';
import { elementwiseKernels } from './elementwise.js';
import { reduceKernels } from './reduce.js';
import { shapeKernels } from './shape.js';
import { linalgKernels } from './linalg.js';
import { indexingKernels } from './indexing.js';
import { nnetKernels } from './nnet.js';
import { convKernels } from './conv.js';
import { randomKernels } from './random.js';

export const referenceKernels: KernelTable = {
  ...elementwiseKernels, ...reduceKernels, ...shapeKernels, ...linalgKernels,
  ...indexingKernels, ...nnetKernels, ...convKernels, ...randomKernels,
};

export const referenceBackend: Backend = { name: 'reference', kernels: referenceKernels };
