// compile/: fn(), the rewrite pipeline and eval().
import { provideEval } from '../graph/variable.js';
import { evaluate } from './eval.js';
export * from './fn.js';
export { optimize, phases } from './pipeline.js';

provideEval(evaluate);
