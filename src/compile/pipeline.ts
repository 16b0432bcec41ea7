// The compile pipeline: named phases, each a rebuild with its rewrites, run until nothing changes.
// NABLA_DEBUG=1 prints the graph after each phase.
import { rebuild, type Phase } from '../graph/rewrite.js';
import type { Variable } from '../graph/variable.js';
import { stabilizingRewrites } from '../grad/index.js';
import { canonicalRewrites } from './rewrites/canonicalize.js';
import { specializingRewrites, transposedProducts } from './rewrites/specialize.js';
import { productsIntoGemm } from './rewrites/gemm.js';
import { debugPrint } from '../graph/print.js';

export const phases: readonly Phase[] = [
  { name: 'canonicalize', rewrites: canonicalRewrites },
  { name: 'stabilize', rewrites: stabilizingRewrites },
  { name: 'specialize', rewrites: specializingRewrites },
  transposedProducts,
  productsIntoGemm,
];

/** The outputs after every phase, then the backend's own; merging of equal sub-graphs runs in each. */
export function optimize(outputs: readonly Variable[], backendPhases: readonly Phase[] = []): Variable[] {
  let current = [...outputs];
  for (const phase of [...phases, ...backendPhases]) {
    if ('run' in phase) current = phase.run(current);
    else for (let pass = 0; pass < 4; pass++) {
      const result = rebuild(current, { rewrites: phase.rewrites, merge: true });
      current = result.outputs;
      if (!result.changed) break;
    }
    if (process.env.NABLA_DEBUG) console.error(`── after ${phase.name}\n${debugPrint(current)}`);
  }
  return current;
}
