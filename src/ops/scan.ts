// Scan: a loop in the graph, Theano's scan. The op holds the step as a graph of its own (scan-graph.ts);
// its gradient is another scan that runs the steps backwards (scan-grad.ts). No backend has a kernel for
// it: the compiler runs it, compiling the step once with the same pipeline (compile/scan-kernel.ts).
import { applyOp, type Op } from '../graph/variable.js';
import { defineOp, opTable } from './define-op.js';
import { slice } from './indexing.js';
import { rebuild } from '../graph/rewrite.js';
import { scanTypes, traceStep, type Loop, type LoopSpec, type ScanAttrs } from './scan-graph.js';
import { scanGradient } from './scan-grad.js';

export const scanOp: Op<ScanAttrs, 'scan'> = defineOp({
  name: 'scan',
  inputs: ['nSteps', 'sequences', 'initial', 'nonSequences'],
  type: scanTypes,
  grad: (inputs, outputs, outputGrads, attrs, vjp, wanted) =>
    scanGradient({ op: scanOp, loop }, inputs, outputs, outputGrads, attrs, vjp, wanted),
});

/** Traces `spec.step` and applies a scan node to the outer values. */
export function loop(spec: LoopSpec): Loop {
  const traced = traceStep(spec);
  const given = spec.states.length;
  const stateCount = traced.graph.stateCount;
  const lastOnly = Array.from({ length: stateCount }, (_, j) => spec.lastOnly?.[j] ?? false);
  const node = applyOp(
    scanOp,
    [spec.nSteps, ...traced.sequences, ...traced.initials, ...traced.nonSequences],
    { graph: traced.graph, lastOnly, truncate: spec.truncate ?? null },
  );
  // Outputs moved after the loop read the states' rows without their initial ones.
  const stateRows = new Map(traced.after.map((v, j) => [v, node.outputs[j].at(slice(traced.graph.lag(j)))]));
  const inLoop = node.outputs.slice(stateCount, node.outputs.length - traced.graph.saved);
  let k = 0;
  return {
    node,
    states: node.outputs.slice(0, given),
    outputs: traced.afterValues.map((v) => (v ? rebuild([v], { replace: stateRows }).outputs[0] : inLoop[k++])),
    streams: traced.streams.map((c, i) => [c, node.outputs[given + i].at(-1)]),
  };
}

/** The scan family: run by the compiler, not by backends (see compilerOps in index.ts). */
export const scanOps = opTable(scanOp);
