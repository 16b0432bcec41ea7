// compile/: fn(), the compile pipeline, check mode, and the compiler behind x.eval(), handed to graph/ here.
import { provideEval } from '../graph/variable.js';
import { evaluate } from './eval.js';
export * from './fn.js';
export { pipeline, type Compilation, type Plan, type PipelinePhase } from './pipeline.js';
export type { CheckOption, CheckReport, PhaseCheck } from './check.js';

provideEval(evaluate);
