// Check mode over the op table: every row, in float32 and float64 with its gradient (of sum(square(f(x)))) where the
// row has one, compiled on the backend under test; no phase may change a value beyond round-off (a phase
// that does throws, naming itself), and every phase reports.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as nb from '../../src/index.js';
import { opTable } from '../ops/op-table.js';
import { backend, backendName, gradTargets, inputArrays, inputVariables, Rng, sampleRow } from '../ops/harness.js';

for (const float of ['float32', 'float64'] as const) {
  test(`check mode: every phase keeps the op table's values, in ${float} with gradients (${backendName})`, () => {
    const worst = new Map<string, number>();
    for (const row of opTable) {
      const s = sampleRow(row, new Rng(`check: ${row.name}`));
      const vars = inputVariables(row, float, s);
      const out = row.build(vars);
      const targets = out.dtype === 'int32' ? [] : gradTargets(row).map((i) => vars[i]);
      const grads = targets.length ? nb.grad(nb.sum(nb.square(out)), targets) : [];
      let report: nb.CheckReport | undefined;
      const f = nb.fn(vars, [out, ...grads], { backend, name: row.name, check: (r) => (report = r) });
      f(...inputArrays(row, float, s));
      assert.equal(report?.phases.length, nb.pipeline.length, row.name);
      for (const p of report!.phases) worst.set(p.phase, Math.max(worst.get(p.phase) ?? 0, p.difference));
    }
    assert.deepEqual([...worst.keys()], nb.pipeline.map((p) => p.name));
  });
}
