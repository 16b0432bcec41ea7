// x.eval(): the value of an expression that needs no inputs, compiled once per expression.
import type { Variable } from '../graph/variable.js';
import type { NDArray } from '../ndarray/index.js';
import { fn, type CompiledFunction } from './fn.js';

const compiled = new WeakMap<Variable, CompiledFunction>();

/** What `x.eval()` runs (compile/index.ts hands it to graph/ with provideEval). */
export function evaluate(x: Variable): NDArray | number {
  let f = compiled.get(x);
  if (!f) {
    f = fn([], x, { name: `eval of ${x}` });
    compiled.set(x, f);
  }
  return f() as NDArray | number;
}
