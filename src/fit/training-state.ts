// What a training step carries from one call to the next besides its data: the state a checkpoint
// must save and a resumed run restore for the step to go on exactly as before.
import { graphLeaves } from '../graph/traverse.js';
import { SharedVariable, Variable } from '../graph/variable.js';
import type { Update } from '../compile/index.js';

/**
 * The shared variables a training step depends on or updates, minus the data, keyed by position and
 * name (the graph is rebuilt identically on resume, so positions match).
 * @example const tracked = trainingState(cost, updates, [trainX, trainY]);
 */
export function trainingState(
  cost: Variable, updates: readonly Update[], data: readonly SharedVariable[],
): Map<string, SharedVariable> {
  const found: SharedVariable[] = [];
  const add = (v: Variable) => {
    if (v instanceof SharedVariable && !data.includes(v) && !found.includes(v)) found.push(v);
  };
  for (const [target] of updates) add(target);
  const values = updates.map(([, v]) => v).filter((v): v is Variable => v instanceof Variable);
  for (const leaf of graphLeaves([cost, ...values])) add(leaf);
  // Random streams advance by default updates, so their counters and whatever those read count too.
  for (const v of [...found]) if (v.defaultUpdate) for (const leaf of graphLeaves([v.defaultUpdate])) add(leaf);
  return new Map(found.map((v, i) => [`${i}:${v.name ?? 'shared'}`, v]));
}
