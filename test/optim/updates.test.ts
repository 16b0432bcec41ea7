// The LSTM tutorial's three update rules (lstm.py: sgd, adadelta, rmsprop), step by step against the
// same formulas written out in plain JavaScript in float64.
import '../single-thread.js';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as nb from '../../src/index.js';

/** A cost whose gradient varies from step to step: sum(w⁴)/4 + sum(c·w), gradient w³ + c. */
const C = [0.3, -0.7, 1.1];
const gradient = (w: number[]) => w.map((v, i) => v ** 3 + C[i]);

/** Runs `steps` updates of a rule on the cost above and returns w after each. */
function runRule(rule: (cost: nb.Variable, params: nb.SharedVariable[]) => nb.Update[], steps: number): number[][] {
  const w = nb.shared(nb.array([0.5, -1.5, 2], 'float64'), 'w');
  const cost = w.pow(4).sum().div(4).add(w.mul(nb.array(C, 'float64')).sum());
  const step = nb.fn([], cost, { updates: rule(cost, [w]) });
  const out: number[][] = [];
  for (let s = 0; s < steps; s++) {
    step();
    out.push(Array.from(w.get().data));
  }
  return out;
}

function assertClose(actual: number[][], expected: number[][], name: string): void {
  actual.forEach((row, s) => row.forEach((v, i) => {
    assert.ok(Math.abs(v - expected[s][i]) < 1e-10, `${name}, step ${s + 1}, w[${i}]: ${v} vs ${expected[s][i]}`);
  }));
}

test('adadelta with learning rate 1 is lstm.py adadelta (ρ 0.95, ε 1e-6)', () => {
  let w = [0.5, -1.5, 2];
  const [up2, grad2] = [[0, 0, 0], [0, 0, 0]];
  const expected: number[][] = [];
  for (let s = 0; s < 5; s++) {
    const g = gradient(w);
    w = w.map((v, i) => {
      grad2[i] = 0.95 * grad2[i] + 0.05 * g[i] ** 2;
      const update = -Math.sqrt(up2[i] + 1e-6) / Math.sqrt(grad2[i] + 1e-6) * g[i];
      up2[i] = 0.95 * up2[i] + 0.05 * update ** 2;
      return v + update;
    });
    expected.push(w);
  }
  assertClose(runRule((cost, params) => nb.adadelta(cost, params, { learningRate: 1 }), 5), expected, 'adadelta');
});

test("centeredRmsprop is lstm.py's rmsprop (running g and g², momentum 0.9, step 1e-4, ε 1e-4)", () => {
  let w = [0.5, -1.5, 2];
  const [mean, squares, velocity] = [[0, 0, 0], [0, 0, 0], [0, 0, 0]];
  const expected: number[][] = [];
  for (let s = 0; s < 5; s++) {
    const g = gradient(w);
    w = w.map((v, i) => {
      mean[i] = 0.95 * mean[i] + 0.05 * g[i];
      squares[i] = 0.95 * squares[i] + 0.05 * g[i] ** 2;
      velocity[i] = 0.9 * velocity[i] - 1e-4 * g[i] / Math.sqrt(squares[i] - mean[i] ** 2 + 1e-4);
      return v + velocity[i];
    });
    expected.push(w);
  }
  assertClose(runRule((cost, params) => nb.centeredRmsprop(cost, params), 5), expected, 'centered rmsprop');
  // By name, as the recipes choose it, with the same defaults.
  const rate = nb.shared(nb.array(1e-4, 'float64'), 'lr');
  assertClose(runRule((cost, params) => nb.buildUpdates('centered-rmsprop', cost, params, { learningRate: rate }), 5), expected, 'by name');
});

test('sgd is lstm.py sgd: p ← p − lr·g', () => {
  let w = [0.5, -1.5, 2];
  const expected: number[][] = [];
  for (let s = 0; s < 5; s++) {
    const g = gradient(w);
    w = w.map((v, i) => v - 0.05 * g[i]);
    expected.push(w);
  }
  assertClose(runRule((cost, params) => nb.sgd(cost, params, { learningRate: 0.05 }), 5), expected, 'sgd');
});
