// Logistic regression on MNIST with nb.fn, as in the Deep Learning Tutorial (chapter 4): minibatch SGD,
// lr 0.13, batch 600. Run: npx tsx examples/logistic-regression.ts [epochs]
import * as nb from 'nabla';
import { loadMnist } from 'nabla/data';

const { train, test } = loadMnist();
const [batch, lr, epochs] = [600, 0.13, Number(process.argv[2] ?? 5)];
const x = nb.matrix('x');
const y = nb.ivector('y');
const W = nb.shared(nb.zeros([784, 10]), 'W');
const b = nb.shared(nb.zeros([10]), 'b');
const p = nb.softmax(x.dot(W).add(b));
const cost = nb.nll(p, y);
const errors = nb.mean(nb.neq(p.argmax(1), y));
const [gW, gb] = nb.grad(cost, [W, b]);

// The data live in shared variables; an index selects the minibatch, as the tutorial's givens do.
const trainX = nb.shared(train.x, 'trainX');
const trainY = nb.shared(train.y, 'trainY');
const i = nb.iscalar('i');
const rows = nb.slice(i.mul(batch), i.add(1).mul(batch));
const trainStep = nb.fn([i], cost, {
  updates: [[W, W.sub(gW.mul(lr))], [b, b.sub(gb.mul(lr))]],
  givens: [[x, trainX.at(rows)], [y, trainY.at(rows)]],
});
const testError = nb.fn([x, y], errors);

for (let epoch = 1; epoch <= epochs; epoch++) {
  let total = 0;
  const batches = Math.floor(train.x.shape[0] / batch);
  for (let k = 0; k < batches; k++) total += trainStep(k);
  const error = testError(test.x, test.y);
  console.log(`epoch ${epoch}: train cost ${(total / batches).toFixed(4)}, test error ${(100 * error).toFixed(2)}%`);
}
