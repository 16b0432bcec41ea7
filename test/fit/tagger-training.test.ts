// The ATIS tutorial's training schedule on a scripted tagger whose validation F1 per epoch is chosen in
// advance: halving after `decayPatience` epochs without a new best, the best parameters put back on the
// first halving only (rnnslu.py's `rnn = best_rnn`), the stop once the rate is below its minimum, the
// test F1 reported at the best epoch, and resuming from an epoch's state.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { shared } from '../../src/graph/constructors.js';
import { NDArray } from '../../src/ndarray/index.js';
import { TaggerTraining, type TaggedSentence, type TaggerEpochRecord, type TaggerLoopState, type TrainableTagger } from '../../src/fit/index.js';

const LABELS = ['O', 'B-city'];
const sentence = (words: number[], labels: number[]): TaggedSentence =>
  ({ words: Int32Array.from(words), labels: Int32Array.from(labels) });
const data = {
  train: [sentence([0], [0]), sentence([1], [1]), sentence([2], [0])],
  // Four one-word chunks: the tagger finds the first `found` of them, so valid F1 = 2f / (f + 4).
  valid: [0, 1, 2, 3].map((w) => sentence([w], [1])),
  test: [sentence([0], [1])],
};

/** A tagger whose only parameter counts updates; its tags on valid follow `quality[epoch]`. */
type ScriptedTagger = TrainableTagger & { updates: ReturnType<typeof shared>; rates: number[] };
function scriptedTagger(quality: (epoch: number) => number): ScriptedTagger {
  const updates = shared(new NDArray('float32', [1]), 'updates');
  const rates: number[] = [];
  return {
    kind: 'scripted', labels: LABELS, params: [updates], updates, rates,
    trainSentence(_s, lr) {
      updates.set(new NDArray('float32', [1], Float32Array.of(updates.value.data[0] + 1)));
      rates.push(lr);
      return 1;
    },
    tag(words) {
      const epoch = Math.round(updates.value.data[0] / data.train.length);
      return Int32Array.from(words, (w) => (w < quality(epoch) ? 1 : 0));
    },
  };
}

const options = { learningRate: 1, maxEpochs: 100, seed: 1, decay: true, decayPatience: 3, minLearningRate: 0.1 };

test('halving after decayPatience epochs without a new best, best parameters back once, stop below the minimum rate', () => {
  // Quality by the number of updates the parameters hold (epoch of training they reflect): best at epoch 2.
  const model = scriptedTagger((e) => (e === 2 ? 3 : 1));
  const records: TaggerEpochRecord[] = [];
  const training = new TaggerTraining(model, data, options);
  const result = training.run({ hooks: { epochEnd: (r) => records.push(r) } });
  // Epochs 1 and 2 improve; epochs 3, 4 do not; epoch 5 is 3 epochs after the best: halve to 0.5 and put
  // epoch 2's parameters back (6 updates). Epoch 6 then retrains from there into "epoch 3" quality: no
  // gain, halve to 0.25, no reload. Epoch 7: halve to 0.125; epoch 8: 0.0625 < 0.1, stop.
  assert.deepEqual(records.map((r) => r.learningRate), [1, 1, 1, 1, 1, 0.5, 0.25, 0.125]);
  assert.deepEqual(records.map((r) => r.improved), [true, true, false, false, false, false, false, false]);
  assert.equal(result.stoppedBy, 'learning-rate');
  assert.equal(result.epochs, 8);
  assert.equal(result.bestEpoch, 2);
  assert.equal(result.bestValid.f1, (2 * 3) / (3 + 4));
  // After epoch 5's reload (6 updates) three more epochs of 3 updates: 15, not 24 (no second reload).
  assert.equal(model.updates.value.data[0], 15);
  training.restoreBest();
  assert.equal(model.updates.value.data[0], 6);
});

test('without decay every epoch runs at the same rate; the test F1 is the best epoch\'s', () => {
  const model = scriptedTagger((e) => Math.min(e, 4) - (e > 4 ? 1 : 0));
  const result = new TaggerTraining(model, data, { ...options, decay: false, maxEpochs: 6 }).run();
  assert.equal(result.stoppedBy, 'epochs');
  assert.equal(result.bestEpoch, 4);
  assert.equal(result.bestValid.f1, 1);
  assert.equal(result.testAtBest.f1, 1);
  assert.ok(model.rates.every((r) => r === 1));
});

test('a run resumed from an epoch\'s state ends as the uninterrupted run', () => {
  const quality = (e: number) => (e === 2 ? 3 : 1);
  const whole = new TaggerTraining(scriptedTagger(quality), data, options).run();
  const first = scriptedTagger(quality);
  const training = new TaggerTraining(first, data, options);
  let saved: { state: TaggerLoopState; params: NDArray; best: Record<string, NDArray> } | undefined;
  training.run({
    stopAfter: 5 * data.train.length + 1,
    hooks: { epochEnd: (_r, state) => void (saved = { state, params: first.updates.get(), best: training.best }) },
  });
  assert.equal(saved!.state.epochsDone, 5);
  const second = scriptedTagger(quality);
  second.updates.set(saved!.params);
  const again = new TaggerTraining(second, data, options);
  again.best = saved!.best;
  const resumed = again.run({ resume: saved!.state });
  assert.deepEqual({ ...resumed, seconds: 0, cpuSeconds: 0 }, { ...whole, seconds: 0, cpuSeconds: 0 });
  assert.equal(second.updates.value.data[0], 15);
});

test('epochOrder reshuffles the previous order each epoch, the same for the same seed', () => {
  const twenty = { ...data, train: Array.from({ length: 20 }, () => data.train[0]) };
  const training = new TaggerTraining(scriptedTagger(() => 1), twenty, options);
  const [one, two] = [training.epochOrder(1), training.epochOrder(2)];
  assert.deepEqual([...one].sort((a, b) => a - b), Array.from({ length: 20 }, (_, i) => i));
  assert.notDeepEqual(one, two);
  assert.deepEqual(training.epochOrder(2), two);
});
