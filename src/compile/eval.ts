// x.eval(): the value of an expression that needs no inputs, compiled once per expression.
import { Variable } from '../graph/variable.js';
import type { NDArray } from '../ndarray/index.js';
import { fn, type CompiledFunction } from './fn.js';

declare module '../graph/variable.js' {
  interface Variable {
    /** Computes this expression (it must need no inputs); a scalar comes back as a number. */
    eval(): NDArray | number;
  }
}

const compiled = new WeakMap<Variable, CompiledFunction>();

(Variable.prototype as unknown as { eval: () => NDArray | number }).eval = function (this: Variable) {
  let f = compiled.get(this);
  if (!f) {
    f = fn([], this, { name: `eval of ${this}` });
    compiled.set(this, f);
  }
  return f() as NDArray | number;
};
