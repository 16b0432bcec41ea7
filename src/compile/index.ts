// compile/: fn(), the rewrite pipeline and eval().
import './eval.js';
export * from './fn.js';
export { optimize, phases } from './pipeline.js';
