// Early stopping and the minibatch loop against a line-by-line transcription of the tutorial's loop
// (logistic_sgd.py), driven by scripted validation losses.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EarlyStopping, ValidationPatience, runLoop, type LoopState, type ValidationRecord } from '../../src/fit/index.js';

/** The tutorial's loop, transcribed: returns what it prints and where it stops. */
function tutorialLoop(
  nTrainBatches: number, nEpochs: number, patienceStart: number, validation: (iter: number) => number,
) {
  let patience = patienceStart;
  const patienceIncrease = 2;
  const improvementThreshold = 0.995;
  const validationFrequency = Math.min(nTrainBatches, Math.floor(patience / 2));
  let bestValidationLoss = Infinity;
  let bestIter = 0;
  let epoch = 0;
  let doneLooping = false;
  let iter = 0;
  const validated: number[] = [];
  while (epoch < nEpochs && !doneLooping) {
    epoch = epoch + 1;
    for (let minibatchIndex = 0; minibatchIndex < nTrainBatches; minibatchIndex++) {
      iter = (epoch - 1) * nTrainBatches + minibatchIndex;
      if ((iter + 1) % validationFrequency === 0) {
        const thisValidationLoss = validation(iter);
        validated.push(iter + 1);
        if (thisValidationLoss < bestValidationLoss) {
          if (thisValidationLoss < bestValidationLoss * improvementThreshold) {
            patience = Math.max(patience, iter * patienceIncrease);
          }
          bestValidationLoss = thisValidationLoss;
          bestIter = iter;
        }
      }
      if (patience <= iter) {
        doneLooping = true;
        break;
      }
    }
  }
  return { epoch, iterations: iter + 1, bestValidationLoss, bestIter: bestIter + 1, validated };
}

// Losses that improve fast, then by less than 0.5% per validation (no more patience), then plateau.
const scripted = (iter: number) => {
  const v = Math.floor((iter + 1) / 10);
  return v < 20 ? 0.5 / (1 + v) : Math.max(0.0238 * Math.pow(0.998, v - 20), 0.0225);
};

for (const [batches, patience] of [[10, 400], [83, 5000], [50, 60], [7, 3]]) {
  test(`runLoop stops where the tutorial's loop stops (${batches} minibatches per epoch, patience ${patience})`, () => {
    const expected = tutorialLoop(batches, 1000, patience, scripted);
    const validated: number[] = [];
    let iteration = 0;
    const result = runLoop({
      trainBatches: batches, maxEpochs: 1000,
      step: () => (iteration++, 1),
      validate: () => scripted(iteration - 1),
      test: () => 0.5,
      earlyStopping: { patience, patienceIncrease: 2, improvementThreshold: 0.995 },
      hooks: { validation: (r) => void validated.push(r.iteration) },
    });
    assert.deepEqual(validated, expected.validated);
    assert.equal(result.epochs, expected.epoch);
    assert.equal(result.iterations, expected.iterations);
    assert.equal(result.bestValidError, expected.bestValidationLoss);
    assert.equal(result.bestIteration, expected.bestIter);
    assert.equal(result.stoppedBy, 'patience');
  });
}

test('EarlyStopping: validation frequency min(batches, patience / 2); patience grows only on significant improvement', () => {
  assert.equal(
    new EarlyStopping({ patience: 5000, patienceIncrease: 2, improvementThreshold: 0.995 }, 83).frequency, 83,
  );
  assert.equal(
    new EarlyStopping({ patience: 10000, patienceIncrease: 2, improvementThreshold: 0.995 }, 2500).frequency, 2500,
  );
  assert.equal(
    new EarlyStopping({ patience: 100, patienceIncrease: 2, improvementThreshold: 0.995 }, 83).frequency, 50,
  );
  const stop = new EarlyStopping({ patience: 100, patienceIncrease: 2, improvementThreshold: 0.995 }, 83);
  assert.equal(stop.observe(99, 0.1), true);
  assert.equal(stop.state.patience, 198);
  assert.equal(stop.observe(199, 0.0996), true, 'better, though by less than 0.5%');
  assert.equal(stop.state.patience, 198, 'so patience stays');
  assert.equal(stop.observe(249, 0.0996), false, 'equal is not better');
  assert.equal(stop.shouldStop(197), false);
  assert.equal(stop.shouldStop(198), true);
  assert.deepEqual(stop.state, { patience: 198, bestLoss: 0.0996, bestIteration: 199 });
  assert.throws(() => new EarlyStopping({ patience: 0, patienceIncrease: 2, improvementThreshold: 0.995 }, 10), /patience 0 must be a positive integer/);
});

test('runLoop runs every epoch when patience lasts, reports each validation, and stops on a diverged cost', () => {
  const records: ValidationRecord[] = [];
  const epochs: number[] = [];
  const result = runLoop({
    trainBatches: 4, maxEpochs: 3, step: (i) => i, validate: () => 0.2, test: () => 0.3,
    earlyStopping: { patience: 1000, patienceIncrease: 2, improvementThreshold: 0.995 },
    hooks: { validation: (r) => void records.push(r), epochStart: (e) => void epochs.push(e) },
  });
  assert.equal(result.stoppedBy, 'epochs');
  assert.equal(result.epochs, 3);
  assert.deepEqual(epochs, [1, 2, 3]);
  assert.deepEqual(records.map((r) => [r.epoch, r.iteration, r.minibatch, r.trainCost, r.improved, r.testError]), [
    [1, 4, 4, 1.5, true, 0.3], [2, 8, 4, 1.5, false, 0.3], [3, 12, 4, 1.5, false, 0.3],
  ]);
  assert.throws(
    () => runLoop({
      trainBatches: 4, maxEpochs: 3, step: (i) => (i === 2 ? NaN : 1), validate: () => 0, test: () => 0,
      earlyStopping: { patience: 10, patienceIncrease: 2, improvementThreshold: 0.995 },
    }),
    /training diverged: the cost is NaN at epoch 1, minibatch 3/,
  );
});

test('a loop stopped after some iterations and resumed from its last validation state ends as an uninterrupted one', () => {
  // A toy "model" whose state is one number, saved with the loop state at each validation.
  const run = (stopAfter?: number, from?: { state: LoopState; weight: number }) => {
    let weight = from?.weight ?? 1;
    const snapshots: { state: LoopState; weight: number }[] = [];
    const rows: number[][] = [];
    const result = runLoop({
      trainBatches: 6, maxEpochs: 40, stopAfter, resume: from?.state,
      step: (i) => (weight = weight * 0.97 + 0.01 * i),
      validate: () => Math.abs(Math.sin(weight * 7)) / 10,
      test: () => weight,
      earlyStopping: { patience: 20, patienceIncrease: 2, improvementThreshold: 0.995, validationFrequency: 4 },
      clock: () => 0,
      cpuClock: () => 0,
      hooks: {
        validation: (r, state) => (
          rows.push([r.iteration, r.validError, r.testError, r.trainCost]), snapshots.push({ state, weight })
        ),
      },
    });
    return { result, rows, snapshots, weight };
  };
  const whole = run();
  const killed = run(23);
  assert.equal(killed.result.stoppedBy, 'interrupted');
  const last = killed.snapshots[killed.snapshots.length - 1];
  const resumed = run(undefined, last);
  assert.deepEqual(resumed.result, whole.result);
  assert.equal(resumed.weight, whole.weight);
  assert.deepEqual([...killed.rows, ...resumed.rows], whole.rows);
});

test("ValidationPatience stops where lstm.py's loop stops, and resumes from its state", () => {
  // lstm.py's bookkeeping written out: history_errs, best_p, bad_counter.
  function tutorialStop(losses: number[], patience: number): { stopAt: number; best: number } {
    const history: number[] = [];
    let [bad, best] = [0, -1];
    for (let k = 0; k < losses.length; k++) {
      const v = losses[k];
      history.push(v);
      if (best < 0 || v <= Math.min(...history)) [best, bad] = [k, 0];
      if (history.length > patience && v >= Math.min(...history.slice(0, -patience))) {
        bad++;
        if (bad > patience) return { stopAt: k, best };
      }
    }
    return { stopAt: -1, best };
  }
  const losses = [0.5, 0.4, 0.42, 0.35, 0.36, 0.37, 0.35, 0.38, 0.39, 0.4, 0.36, 0.41, 0.42, 0.43, 0.44, 0.4, 0.45];
  for (const patience of [1, 2, 3]) {
    const expected = tutorialStop(losses, patience);
    let rule = new ValidationPatience({ rule: 'validations', patience, validationFrequency: 10 });
    let stopAt = -1;
    let best = -1;
    for (let k = 0; k < losses.length && stopAt < 0; k++) {
      const iteration = 10 * k + 9;
      assert.ok(rule.isValidationPoint(iteration));
      if (rule.observe(iteration, losses[k])) best = k;
      if (rule.shouldStop()) stopAt = k;
      // A rule rebuilt from its state goes on identically.
      if (k === 5) rule = new ValidationPatience({ rule: 'validations', patience, validationFrequency: 10 }, rule.state);
    }
    assert.deepEqual({ stopAt, best }, expected, `patience ${patience}`);
  }
  assert.ok(tutorialStop(losses, 2).stopAt > 0);
  assert.throws(() => new ValidationPatience({ rule: 'validations', patience: 0, validationFrequency: 10 }), /patience 0 must be a positive integer \(validations\)/);
});
