// Runner (3) of the op table: every row again with NaN, +Inf and -Inf among its float inputs. IEEE and
// JAX semantics are the rule (NaN propagates through max, pooling, relu and clip; argmax points at the
// first NaN; a comparison with NaN is false), so the row's float64 plain-loop reference must hold on
// the backend under test, float32 must give the same specials, and native must agree with reference.
import { test } from 'node:test';
import * as nb from '../../src/index.js';
import { opTable } from './op-table.js';
import { assertClose, backend, backendName, plainInputs, Rng, runRow, sampleRow, SPECIALS, specialTargets, withSpecials } from './harness.js';

for (const row of opTable) {
  if (specialTargets(row).length === 0) continue;
  test(`specials: ${row.name} (${backendName})`, () => {
    const rng = new Rng(`specials: ${row.name}`);
    for (let k = 0; k <= SPECIALS.length; k++) {
      const s = withSpecials(row, sampleRow(row, rng), k, rng);
      const where = `${row.name} with ${JSON.stringify(s.values.map((v) => v.map(String)))}`;
      const ref = row.ref(plainInputs(s));
      const f64 = runRow(row, 'float64', s);
      assertClose(f64, { ...ref, dtype: ref.dtype ?? 'float64' }, row.tol ?? 1e-12, `${where}, float64`);
      if (backend !== nb.referenceBackend) assertClose(f64, runRow(row, 'float64', s, nb.referenceBackend), row.tol ?? 1e-12, `${where}, float64 vs the reference backend`);
      const f32 = runRow(row, 'float32', s);
      assertClose(f32, { ...f64, dtype: ref.dtype ?? 'float32' }, row.tol32 ?? 1e-4, `${where}, float32 vs float64`);
    }
  });
}
