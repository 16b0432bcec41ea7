// HMC: the tutorial's 5-d Gaussian is sampled with the right mean and covariance and the step size is
// adapted to about 0.9 acceptance; a one-step sampler (no loop) samples a standard normal; bad settings
// and energies of the wrong shape are refused with one line.
import '../single-thread.js';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as nb from '../../src/index.js';

test('HMC samples the tutorial Gaussian: mean and covariance within 0.1, acceptance near 0.9', () => {
  const run = nb.sampleTutorialGaussian({ burnIn: 1000, draws: 1000 });
  assert.ok(run.meanAbsError < 0.1, `mean error ${run.meanAbsError}`);
  assert.ok(run.covAbsError < 0.1, `covariance error ${run.covAbsError}`);
  assert.ok(Math.abs(run.acceptance - 0.9) < 0.05, `acceptance ${run.acceptance}`);
  assert.ok(run.stepSize > 0.1 && run.stepSize <= 0.5, `step size ${run.stepSize}`);
});

test('HMC with one leapfrog step per draw samples a standard normal (float64)', () => {
  const hmc = new nb.Hmc({
    energy: (s) => s.square().sum(1).mul(0.5), positions: nb.zeros([50, 1], 'float64'), steps: 1, stepSize: 1, stepSizeMax: 1.5, seed: 7,
  });
  const samples = hmc.sample(400, { burnIn: 100 });
  assert.deepEqual(samples.shape, [400, 50, 1]);
  const values = Array.from(samples.data);
  const mean = values.reduce((a, v) => a + v, 0) / values.length;
  const variance = values.reduce((a, v) => a + (v - mean) ** 2, 0) / values.length;
  assert.ok(Math.abs(mean) < 0.1, `mean ${mean}`);
  assert.ok(Math.abs(variance - 1) < 0.1, `variance ${variance}`);
});

test('HMC refuses energies that are not one value per chain, and bad settings, in one line', () => {
  const positions = nb.zeros([3, 2]);
  assert.throws(() => new nb.Hmc({ energy: (s) => s.square().sum(), positions }), /^Error: Hmc: the energy of positions .* must be one energy per chain/);
  assert.throws(() => new nb.Hmc({ energy: (s) => s.sum(1), positions, steps: 0 }), /Hmc: steps is 0; it must be a positive integer/);
  assert.throws(() => new nb.Hmc({ energy: (s) => s.sum(1), positions, stepSize: -1 }), /Hmc: stepSize is -1; it must be > 0/);
  assert.throws(() => new nb.Hmc({ energy: (s) => s.sum(1), positions: nb.zeros([3], 'float32') }), /one row per chain/);
});
