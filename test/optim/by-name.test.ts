// Update rules and schedules by name, as the command line gives them.
import '../single-thread.js';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as nb from '../../src/index.js';
import { OPTIMIZERS, buildUpdates, parseSchedule } from '../../src/optim/index.js';

test('parseSchedule reads constant, step, inverse and exponential, and names the forms it accepts', () => {
  assert.equal(parseSchedule('constant', 0.1)(50), 0.1);
  assert.equal(parseSchedule('step:0.5:10', 0.1)(25), 0.025);
  assert.equal(parseSchedule('inverse:0.001', 0.1)(1000), 0.05);
  assert.ok(Math.abs(parseSchedule('exponential:0.1', 1)(10) - Math.exp(-1)) < 1e-12);
  for (const bad of ['step:0.5', 'cosine', 'inverse:x', 'step:0.5:0']) {
    assert.throws(() => parseSchedule(bad, 0.1), new RegExp(`schedule '${bad}' is not one of constant, step:DROP:EVERY`));
  }
});

test('every named update rule lowers a quadratic cost', () => {
  for (const name of OPTIMIZERS) {
    const w = nb.shared(nb.array([3, -2]), 'w');
    const cost = w.square().sum();
    const rate = nb.shared(nb.array(name === 'adadelta' ? 1 : 0.1), 'lr');
    const step = nb.fn([], cost, { updates: buildUpdates(name, cost, [w], { learningRate: rate, momentum: 0.5 }) });
    const first = step() as number;
    let last = first;
    for (let i = 0; i < 30; i++) last = step() as number;
    assert.ok(last < first, `${name}: ${first} → ${last}`);
  }
  assert.throws(() => buildUpdates('lbfgs' as never, nb.scalar('c'), [], { learningRate: nb.shared(nb.array(0.1)) }), /unknown optimizer 'lbfgs'/);
});
