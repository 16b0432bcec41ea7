// Adversarial examples on a small MLP trained on 2,000 MNIST digits: the gradient-sign attack stays within
// ε of the original and inside [0, 1] and raises the test error far above the clean error, the iterated
// attack at least as far, the plain-gradient attack less; a targeted attack sends most digits to its
// class; adversarial training (a mixed clean/adversarial cost) lowers the error under attack.
import '../single-thread.js';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as nb from '../../src/index.js';
import { loadMnist } from '../../src/data/index.js';
import { Mlp, adversarialExamples, errorRate, type AttackOptions } from '../../src/models/index.js';

const { train, test: testSet } = loadMnist({ limit: { train: 2000, valid: 10, test: 500 } });
const config = { imageShape: [28, 28] as [number, number], classes: 10, hidden: [64], activation: 'tanh' as const, keep: [] };
const fitOptions = { epochs: 8, batchSize: 20, learningRate: 0.1, l2: 0 };
const model = new Mlp(config, 3);
model.fit(train.x, train.y, fitOptions);
const clean = errorRate(model.predict(testSet.x), testSet.y);
/** The test error of `m` under an attack. */
const attackedError = (m: Mlp, options: AttackOptions) =>
  errorRate(m.predict(adversarialExamples(m, testSet.x, testSet.y, options)), testSet.y);

test('FGSM keeps every pixel within ε and in [0, 1], and fools the MLP far more often than chance errors', () => {
  const adversarial = adversarialExamples(model, testSet.x, testSet.y, { epsilon: 0.1 });
  let largest = 0;
  adversarial.data.forEach((v, i) => {
    largest = Math.max(largest, Math.abs(v - testSet.x.data[i]));
    assert.ok(v >= 0 && v <= 1);
  });
  assert.ok(largest <= 0.1 + 1e-6 && largest > 0.099, `largest change ${largest}`);
  const fooled = errorRate(model.predict(adversarial), testSet.y);
  assert.ok(clean < 0.2, `clean error ${clean}`);
  assert.ok(fooled > clean + 0.3, `clean ${clean}, adversarial ${fooled}`);
  const iterated = attackedError(model, { epsilon: 0.1, steps: 5 });
  assert.ok(iterated >= fooled - 0.01, `one step ${fooled}, five ${iterated}`);
  const gradient = attackedError(model, { epsilon: 0.1, method: 'gradient' });
  assert.ok(gradient > clean && gradient < fooled, `clean ${clean}, gradient ${gradient}, sign ${fooled}`);
  const none = adversarialExamples(model, testSet.x, testSet.y, { epsilon: 0 });
  assert.deepEqual(none.data, testSet.x.data);
});

test('a targeted attack sends most digits to the target class', () => {
  const targets = nb.array(new Int32Array(testSet.y.size).fill(4), 'int32');
  const adversarial = adversarialExamples(model, testSet.x, testSet.y, { epsilon: 0.2, steps: 10, targets });
  const predicted = model.predict(adversarial);
  const hits = Array.from(predicted.data).filter((c) => c === 4).length;
  assert.ok(hits / predicted.size > 0.8, `${hits} of ${predicted.size} sent to 4`);
});

test('adversarial training lowers the error under the gradient-sign attack', () => {
  const robust = new Mlp(config, 3);
  robust.fit(train.x, train.y, { ...fitOptions, adversarial: { epsilon: 0.1 } });
  const [plain, trained] = [attackedError(model, { epsilon: 0.1 }), attackedError(robust, { epsilon: 0.1 })];
  assert.ok(trained < plain - 0.2, `plain ${plain}, adversarially trained ${trained}`);
  assert.ok(errorRate(robust.predict(testSet.x), testSet.y) < 0.25);
});

test('bad attacks are refused in one line', () => {
  assert.throws(() => adversarialExamples(model, testSet.x, testSet.y, { epsilon: -0.1 }), /^Error: adversarial examples: epsilon is -0.1; it must be ≥ 0$/);
  assert.throws(() => adversarialExamples(model, nb.zeros([2, 100]), testSet.y, { epsilon: 0.1 }), /images are float32\[2, 100\], but the mlp model reads float32\[n, 784\]/);
  const targets = nb.array(new Int32Array(testSet.y.size).fill(12), 'int32');
  assert.throws(() => adversarialExamples(model, testSet.x, testSet.y, { epsilon: 0.1, targets }), /class 12 at index 0 is outside the model's 10 classes/);
});
