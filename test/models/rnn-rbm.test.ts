// The RNN-RBM of the polyphonic-music tutorial: the gradient of its CD cost (the chain's end held
// constant) against finite differences in float64, learning on real Nottingham tunes (the monitor rises,
// frame-level accuracy rises), generation, and a save/load round trip.
import '../single-thread.js';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as nb from '../../src/index.js';
import type { NDArray, Variable } from '../../src/index.js';
import { loadMusic, songMatrix, TUTORIAL_PIANO_ROLL } from '../../src/data/index.js';
import { DensityTraining } from '../../src/fit/index.js';
import { RnnRbm, RNN_RBM_TUTORIAL } from '../../src/models/index.js';
import { TUTORIAL_ROLLS_FILE } from '../data/nottingham-fixture.js';

const music = loadMusic(TUTORIAL_ROLLS_FILE, TUTORIAL_PIANO_ROLL);
const rolls = (songs: number[][][]) => songs.map((s) => songMatrix(s, [21, 109]));

test('the gradient of the CD cost with the chain held constant matches finite differences (float64)', () => {
  const small = new RnnRbm({ range: [60, 72], dt: 0.3, hidden: 5, recurrent: 4, k: 3 }, 11, 'float64');
  // Larger weights than the tutorial's start, so that the RNN's terms carry weight in the check.
  for (const p of small.params) p.set(nb.array(Float64Array.from(p.value.data, (_, i) => Math.sin(i + p.value.size) * 0.5), 'float64', p.value.shape));
  const song = music.train[0].slice(0, 9).map((notes) => notes.filter((p) => p >= 60 && p < 72));
  const frames = songMatrix(song, [60, 72]).astype('float64');
  const v = nb.matrix('v', 'float64');
  const objective = small.objective(v);
  const [chainEnd] = objective.considerConstant;
  const end = nb.fn([v], chainEnd)(frames) as NDArray;
  const fixed: [Variable, NDArray][] = [[chainEnd, end]];
  const gradients = nb.grad(objective.cost, small.params, { considerConstant: [chainEnd] });
  const analytic = (nb.fn([v], gradients, { givens: fixed })(frames) as NDArray[]).map((g) => Array.from(g.data));
  const cost = nb.fn([v], objective.cost, { givens: fixed });
  const h = 1e-6;
  small.params.forEach((p, k) => {
    const base = Float64Array.from(p.value.data);
    for (const i of [0, Math.floor(base.length / 2), base.length - 1]) {
      const at = (x: number) => {
        const moved = Float64Array.from(base);
        moved[i] = x;
        p.set(nb.array(moved, 'float64', p.value.shape));
        return cost(frames) as number;
      };
      const numeric = (at(base[i] + h) - at(base[i] - h)) / (2 * h);
      p.set(nb.array(base, 'float64', p.value.shape));
      assert.ok(Math.abs(numeric - analytic[k][i]) <= 1e-6 * (1 + Math.abs(numeric)), `${p.name}[${i}]: ${analytic[k][i]} vs ${numeric}`);
    }
  });
});

test('on 24 Nottingham tunes the monitor rises and the frame-level accuracy of the next frame improves', () => {
  const model = new RnnRbm(RNN_RBM_TUTORIAL, 5);
  const options = { learningRate: 0.01, stretch: 100, seed: 3 };
  const training = new DensityTraining(model, rolls(music.train.slice(0, 24)), options);
  const valid = training.errorOn(rolls(music.valid.slice(0, 6)));
  const before = 1 - valid.measure();
  const monitors: number[] = [];
  const result = training.run({
    maxEpochs: 4, validate: valid.measure,
    earlyStopping: { rule: 'validations', patience: 10, validationFrequency: training.trainBatches },
    hooks: { validation: (record) => void monitors.push(record.trainCost) },
  });
  const after = 1 - result.bestValidError;
  assert.equal(monitors.length, 4);
  assert.ok(monitors[3] > monitors[0] + 5, `monitor per epoch ${monitors.map((m) => m.toFixed(2)).join(', ')}`);
  assert.ok(after > before + 0.05 && after > 0.1, `validation accuracy ${before.toFixed(3)} → ${after.toFixed(3)}`);
});

test('generated pieces are binary frames that change from step to step, and survive a save and load', () => {
  const model = new RnnRbm(RNN_RBM_TUTORIAL, 8);
  const piece = model.generate(12);
  assert.deepEqual(piece.shape, [12, 88]);
  assert.ok(Array.from(piece.data).every((x) => x === 0 || x === 1));
  const frame = (t: number) => Array.from(piece.data.subarray(t * 88, (t + 1) * 88)).join('');
  assert.equal(new Set(Array.from({ length: 12 }, (_, t) => frame(t))).size, 12, 'each step draws its own frame');
  const path = join(mkdtempSync(join(tmpdir(), 'nabla-rnnrbm-')), 'model.nbm');
  model.save(path, { note: 'test' });
  const loaded = RnnRbm.load(path, 8);
  assert.deepEqual(loaded.config, model.config);
  assert.equal(loaded.meta.note, 'test');
  assert.deepEqual(Array.from(loaded.generate(12).data), Array.from(new RnnRbm(RNN_RBM_TUTORIAL, 8).generate(12).data));
  assert.throws(() => RnnRbm.load(join(tmpdir(), 'missing-model.nbm')), /missing-model\.nbm/);
});

test("annealed importance sampling gives each frame's log-likelihood that enumerating its RBM gives", () => {
  const tiny = new RnnRbm({ range: [60, 66], dt: 0.3, hidden: 4, recurrent: 3, k: 1 }, 4, 'float64');
  for (const p of tiny.params) p.set(nb.array(Float64Array.from(p.value.data, (_, i) => Math.cos(3 * i + p.value.size)), 'float64', p.value.shape));
  const frames = songMatrix(music.train[1].slice(0, 5).map((notes) => notes.filter((p) => p >= 60 && p < 66)), [60, 66]).astype('float64');
  const v = nb.matrix('v', 'float64');
  const c = tiny.conditionals(v);
  const [bv, bh] = nb.fn([v], [c.bv, c.bh])(frames) as NDArray[];
  const W = tiny.W.value.data;
  const softplus = (a: number) => Math.max(a, 0) + Math.log1p(Math.exp(-Math.abs(a)));
  const logStar = (t: number, bits: (i: number) => number) => {
    let total = 0;
    for (let i = 0; i < 6; i++) total += bits(i) * bv.data[t * 6 + i];
    for (let j = 0; j < 4; j++) {
      let a = bh.data[t * 4 + j];
      for (let i = 0; i < 6; i++) a += bits(i) * W[i * 4 + j];
      total += softplus(a);
    }
    return total;
  };
  const estimated = tiny.frameLogLikelihoods(frames, { chains: 200, temperatures: 300 });
  for (let t = 0; t < 5; t++) {
    const terms = Array.from({ length: 64 }, (_, s) => logStar(t, (i) => (s >> i) & 1));
    const top = Math.max(...terms);
    const logZ = top + Math.log(terms.reduce((a, b) => a + Math.exp(b - top), 0));
    const exact = logStar(t, (i) => frames.data[t * 6 + i]) - logZ;
    assert.ok(Math.abs(estimated[t] - exact) < 0.05, `frame ${t}: AIS ${estimated[t]} against ${exact}`);
  }
});
