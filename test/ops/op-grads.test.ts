// Runner (2) of the op table, PyTensor's verify_grad: for a random u, nb.grad(sum(u * f(x)), x) must
// match central finite differences of that scalar in float64, on random shapes (broadcasting and
// size-1 axes included, as the rows' shapes say).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as nb from '../../src/index.js';
import type { NDArray } from '../../src/index.js';
import { opTable } from './op-table.js';
import { backend, backendName, frozenStreams, gradGraph, gradTargets, inputArrays, inputVariables, Rng, sampleRow, toPlain } from './harness.js';

const TRIALS = 3;
const STEP = 1e-6;
const REL_TOL = 1e-6;

/**
 * The error measure. A central difference with step h has truncation error h²|f'''|/6 (about 1e-13
 * here) and rounding error about ε·C/h, where C is the size of the terms summed into the cost
 * (ε = 2.2e-16, so 2.2e-10·C). A plain relative error |a - b| / (|a| + |b|) is then ruled by that
 * noise wherever a gradient entry is near zero (a small u, a softmax tail, the zero gradient of a
 * comparison), and a tiny floor such as 1e-8 does not help. So the denominator is floored at the noise
 * level over the tolerance: an entry passes when it agrees to 1e-6 relatively, or absolutely within
 * 100 times the rounding noise (the margin covers intermediates larger than the output, as inside
 * softmax or variance). A wrong gradient is off by far more than either.
 */
function relativeError(analytic: number, numeric: number, noise: number): number {
  return Math.abs(analytic - numeric) / Math.max(Math.abs(analytic) + Math.abs(numeric), noise / REL_TOL);
}

for (const row of opTable) {
  const targets = gradTargets(row);
  if (targets.length === 0) continue;
  test(`gradient: ${row.name} (${backendName})`, () => {
    const rng = new Rng(`gradient: ${row.name}`);
    for (let trial = 0; trial < TRIALS; trial++) {
      const s = sampleRow(row, rng);
      const vars = inputVariables(row, 'float64', s);
      const out = row.build(vars);
      const { u, cost, grads } = gradGraph(row, vars, out);
      const options = { backend, updates: frozenStreams([cost]) };
      const args = inputArrays(row, 'float64', s);
      const y = toPlain(nb.fn(vars, out, options)(...args), out.dtype);
      const uValue = nb.array(Float64Array.from(y.data, () => rng.uniform(-1, 1)), 'float64', y.shape);
      const costAt = nb.fn([...vars, u], cost, options);
      const analytic = nb.fn([...vars, u], grads, options)(...args, uValue) as (NDArray | number)[];
      const magnitude = y.data.reduce((sum, v, i) => sum + Math.abs(v * uValue.data[i]), 0);
      const noise = 100 * Number.EPSILON * Math.max(1, magnitude) / STEP;

      targets.forEach((input, k) => {
        const g = analytic[k];
        const gData = typeof g === 'number' ? [g] : Array.from(g.data);
        const x = args[input].data;
        assert.equal(gData.length, x.length, `${row.name}: gradient of ${row.inputs[input].name} has ${gData.length} entries for ${x.length}`);
        let worst = { i: -1, err: 0, numeric: 0 };
        for (let i = 0; i < x.length; i++) {
          const x0 = x[i];
          x[i] = x0 + STEP;
          const up = costAt(...args, uValue) as number;
          x[i] = x0 - STEP;
          const down = costAt(...args, uValue) as number;
          x[i] = x0;
          const numeric = (up - down) / (2 * STEP);
          const err = relativeError(gData[i], numeric, noise);
          if (!(err <= worst.err)) worst = { i, err, numeric };
        }
        if (worst.err > REL_TOL) {
          const at = `${row.name}, shapes ${JSON.stringify(s.shapes)}: d cost / d ${row.inputs[input].name}[${worst.i}]`;
          assert.fail(`${at} is ${gData[worst.i]}, finite differences give ${worst.numeric} (error ${worst.err.toExponential(2)} > ${REL_TOL})`);
        }
      });
    }
  });
}
