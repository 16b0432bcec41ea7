// Runner (3) of the op table: every row again with NaN, +Inf and -Inf among its float inputs. IEEE and
// JAX semantics are the rule (NaN propagates through max, pooling, relu and clip; argmax points at the
// first NaN; a comparison with NaN is false), so the row's float64 plain-loop reference must hold on
// the backend under test, float32 must give the same specials, and native must agree with reference.
import { test } from 'node:test';
import { opTable } from './op-table.js';
import { backendName, checkRowValues, Rng, sampleRow, SPECIALS, specialTargets, withSpecials } from './harness.js';

for (const row of opTable) {
  if (specialTargets(row).length === 0) continue;
  test(`specials: ${row.name} (${backendName})`, () => {
    const rng = new Rng(`specials: ${row.name}`);
    for (let k = 0; k <= SPECIALS.length; k++) {
      const s = withSpecials(row, sampleRow(row, rng), k, rng);
      checkRowValues(row, s, `${row.name} with ${JSON.stringify(s.values.map((v) => v.map(String)))}`);
    }
  });
}
