// compile/: fn(), the compile pipeline, check mode and eval().
import './eval.js';
export * from './fn.js';
export { pipeline, type Compilation, type Plan, type PipelinePhase } from './pipeline.js';
export type { CheckOption, CheckReport, PhaseCheck } from './check.js';
