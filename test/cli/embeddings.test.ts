// nabla pca and nabla tsne as a user runs them: on MNIST digits (codes, pictures, the --json summary
// ending with the fields the issue names), on .csv and .npy matrices with a labels file, and bad input
// (ragged CSV, NaN, too few points for the perplexity) as one clear line.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as nb from '../../src/index.js';
import { loadMnist, readNpy, writeNpy } from '../../src/data/index.js';
import { lastJson, nabla } from './fixtures.js';

const dir = mkdtempSync(join(tmpdir(), 'nabla-embeddings-'));
test.after(() => rmSync(dir, { recursive: true, force: true }));

test('nabla pca on 300 digits: codes, model, pictures; the summary ends with explained_variance_ratio', () => {
  const out = join(dir, 'pca');
  const r = nabla('pca', '--limit', '300', '--components', '10', '--out', out, '--json');
  assert.equal(r.status, 0, r.stderr);
  const summary = lastJson(r);
  const keys = Object.keys(summary);
  assert.equal(keys[keys.length - 1], 'explained_variance_ratio');
  const ratio = summary.explained_variance_ratio as number[];
  assert.equal(ratio.length, 10);
  assert.ok(ratio.every((v, i) => v > 0 && (i === 0 || v <= ratio[i - 1])), `descending fractions: ${ratio}`);
  assert.ok(ratio.reduce((a, b) => a + b, 0) < 1);
  const codes = readNpy(join(out, 'pca.npy'));
  assert.deepEqual(codes.shape, [300, 10]);
  assert.match(readFileSync(join(out, 'pca.csv'), 'utf8').split('\n')[0], /^pca1,pca2,.*,pca10,label$/);
  for (const file of ['model.nbm', 'pca.png', 'pca.svg', 'explained-variance.png']) assert.ok(existsSync(join(out, file)), file);
  assert.match(readFileSync(join(out, 'pca.svg'), 'utf8'), /<svg [^>]*>[\s\S]*<g fill="#4e79a7" data-label="0">/);
  // The saved model gives the same codes.
  const x = loadMnist({ limit: { train: 300, valid: 0, test: 0 } }).train.x;
  const again = nb.Pca.load(join(out, 'model.nbm')).transform(x);
  for (let i = 0; i < again.size; i += 37) assert.ok(Math.abs(again.data[i] - codes.data[i]) < 1e-9);
});

test('nabla tsne on 300 digits: the map, pictures; the summary ends with kl_divergence and knn_accuracy', () => {
  const out = join(dir, 'tsne');
  const r = nabla('tsne', '--limit', '300', '--perplexity', '20', '--out', out, '--json');
  assert.equal(r.status, 0, r.stderr);
  const summary = lastJson(r);
  const keys = Object.keys(summary);
  assert.deepEqual(keys.slice(-2), ['kl_divergence', 'knn_accuracy']);
  assert.ok((summary.kl_divergence as number) > 0 && (summary.kl_divergence as number) < 2, `KL ${summary.kl_divergence}`);
  assert.ok((summary.knn_accuracy as number) > 0.75, `10-NN accuracy ${summary.knn_accuracy}`);
  assert.equal(summary.method, 'exact');
  assert.deepEqual(readNpy(join(out, 'tsne.npy')).shape, [300, 2]);
  for (const file of ['tsne.csv', 'tsne.png', 'tsne.svg']) assert.ok(existsSync(join(out, file)), file);
});

test('matrix files: a .npy with a labels .csv, and bad input named by file, line, row and column', () => {
  const x = loadMnist({ limit: { train: 120, valid: 0, test: 0 } });
  const npy = join(dir, 'digits.npy');
  writeNpy(npy, x.train.x);
  const labels = join(dir, 'labels.csv');
  writeFileSync(labels, `${Array.from(x.train.y.data).join('\n')}\n`);
  const out = join(dir, 'from-npy');
  const r = nabla('tsne', '--dataset', npy, '--labels', labels, '--perplexity', '10', '--iterations', '300', '--out', out, '--json');
  assert.equal(r.status, 0, r.stderr);
  assert.ok(typeof lastJson(r).knn_accuracy === 'number');

  const ragged = join(dir, 'ragged.csv');
  writeFileSync(ragged, 'a,b,c\n1,2,3\n4,5\n');
  const bad = nabla('pca', '--dataset', ragged, '--out', join(dir, 'x'));
  assert.equal(bad.status, 1);
  assert.equal(bad.stderr.trim(), `nabla: ${ragged}: line 3 has 2 values, but the lines before it have 3 (ragged rows)`);

  const withNan = join(dir, 'nan.csv');
  writeFileSync(withNan, '1,2\n3,nan\n5,6\n');
  const nan = nabla('pca', '--dataset', withNan, '--out', join(dir, 'x'));
  assert.equal(nan.stderr.trim(), `nabla: ${withNan}: Pca.fit: x[1, 1] is NaN (row 1, column 1); remove or fill it first`);

  const small = join(dir, 'small.csv');
  writeFileSync(small, '1,2\n3,4\n5,7\n');
  const tooFew = nabla('tsne', '--dataset', small, '--out', join(dir, 'x'));
  assert.equal(tooFew.stderr.trim(), `nabla: ${small}: Tsne.fitTransform: perplexity 30 is larger than N − 1 = 2; use fewer than 3 (5 to 50 is usual) or more points`);
});
