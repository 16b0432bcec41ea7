// The book's pipeline (Unsupervised Deep Learning, chapter 1): PCA to K components, then logistic
// regression on the codes Z_K, against logistic regression on the raw pixels. PCA is fitted on the
// training images only; the same map transforms validation and test images.
// Run: npx tsx examples/pca-logistic-regression.ts [epochs]
import * as nb from 'nabla';
import { loadMnist } from 'nabla/data';

const epochs = Number(process.argv[2] ?? 50);
const { train, valid, test } = loadMnist();
const pca = new nb.Pca({ components: 200, dtype: 'float32' }).fit(train.x);
const codes = (x: nb.NDArray, k: number) => {
  const z = pca.transform(x);
  const n = x.shape[0];
  const out = new nb.NDArray('float32', [n, k]);
  for (let i = 0; i < n; i++) out.data.set(z.data.subarray(i * 200, i * 200 + k), i * k);
  return out;
};

console.log('input | kept variance | best validation error | test error | epochs | seconds');
for (const k of [10, 20, 50, 100, 200, 784]) {
  const splits = [train.x, valid.x, test.x];
  const [trainX, validX, testX] = k === 784 ? splits : splits.map((x) => codes(x, k));
  const started = performance.now();
  const model = new nb.LogisticRegression({ imageShape: [1, k], classes: 10 });
  const result = model.fit(trainX, train.y, { validation: { x: validX, y: valid.y }, epochs });
  const predicted = model.predict(testX).data;
  let wrong = 0;
  for (let i = 0; i < predicted.length; i++) wrong += predicted[i] === test.y.data[i] ? 0 : 1;
  const kept = k === 784 ? 1 : Array.from(pca.explainedVarianceRatio!.data.slice(0, k)).reduce((a, b) => a + b, 0);
  const what = k === 784 ? 'raw pixels (784)' : `PCA, K = ${k}`;
  console.log(`${what} | ${(100 * kept).toFixed(1)}% | ${(100 * result.bestValidError).toFixed(2)}% | ` +
    `${(100 * wrong / predicted.length).toFixed(2)}% | ${result.history.length} | ${((performance.now() - started) / 1000).toFixed(1)}`);
}
