// Runner (1) of the op table: each row on the backend under test (NABLA_TEST_BACKEND) in float64 against
// its plain-loop reference, and in float32 against that float64 result; and the check that the rows
// reach every primitive op and every function users call.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { allOps } from '../../src/ops/index.js';
import { topoSort } from '../../src/graph/traverse.js';
import { opTable, requiredFunctions } from './op-table.js';
import { backendName, checkRowValues, gradGraph, gradTargets, inputVariables, Rng, sampleRow } from './harness.js';

/** Each row runs on this many random draws of its shapes and values. */
const TRIALS = 4;

for (const row of opTable) {
  test(`values: ${row.name} (${backendName})`, () => {
    const rng = new Rng(`values: ${row.name}`);
    for (let trial = 0; trial < TRIALS; trial++) {
      const s = sampleRow(row, rng);
      checkRowValues(row, s, `${row.name} with shapes ${JSON.stringify(s.shapes)}`);
    }
  });
}

test('row names are unique', () => {
  const names = opTable.map((r) => r.name);
  assert.deepEqual(names.filter((n, i) => names.indexOf(n) !== i), []);
});

test('the rows exercise every primitive in allOps (forward or gradient graphs, before optimization)', () => {
  const seen = new Set<string>();
  for (const row of opTable) {
    const s = sampleRow(row, new Rng(`coverage: ${row.name}`));
    const vars = inputVariables(row, 'float64', s);
    const out = row.build(vars);
    const graphs = gradTargets(row).length > 0 ? [out, ...gradGraph(row, vars, out).grads] : [out];
    for (const node of topoSort(graphs)) seen.add(node.op.name);
  }
  assert.deepEqual(Object.keys(allOps).filter((name) => !seen.has(name)), []);
});

test('the rows cover the composites and variants users call', () => {
  const fns = new Set(opTable.map((r) => r.fn));
  assert.deepEqual(requiredFunctions.filter((f) => !fns.has(f)), []);
});
