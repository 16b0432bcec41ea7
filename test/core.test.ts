// The browser entry (src/core.ts) bundles for a browser with nothing of Node's in it: esbuild resolves every
// import with platform 'browser' and no stubs or externals, and the bundle runs in a context without
// `process`, `require` or any Node global, compiling and training there on the reference backend.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runInNewContext } from 'node:vm';
import { build } from 'esbuild';

/** src/core.ts bundled as one script that sets the global `nb`, with the list of files it holds. */
async function bundleCore(): Promise<{ code: string; inputs: string[] }> {
  const result = await build({
    entryPoints: ['src/core.ts'], bundle: true, platform: 'browser', format: 'iife', globalName: 'nb',
    write: false, metafile: true, logLevel: 'silent',
  }).catch((e: { errors?: { text: string; location?: { file: string } | null }[] }) => {
    throw new Error(`the browser entry does not bundle: ${(e.errors ?? []).map((m) => `${m.location?.file}: ${m.text}`).join('; ')}`);
  });
  return { code: result.outputFiles[0].text, inputs: Object.keys(result.metafile.inputs) };
}

const bundled = bundleCore();

test('the browser entry bundles from src/ alone, without the Node-only layers or the native backend', async () => {
  const { inputs } = await bundled;
  assert.deepEqual(inputs.filter((file) => !file.startsWith('src/')), [], 'no packages and no node: modules');
  const nodeOnly = /^src\/(train|data|viz|cli)\/|^src\/backends\/native\/|^src\/backends\/index\.ts$|^src\/models\/(model-file|atomic-write)\.ts$/;
  assert.deepEqual(inputs.filter((file) => nodeOnly.test(file)), []);
  assert.ok(inputs.includes('src/backends/reference/index.ts') && inputs.includes('src/models/logistic-regression.ts'));
});

test('the bundle loads and trains where there is no process, and says that files need Node', async () => {
  const { code } = await bundled;
  const sandbox: Record<string, unknown> = { performance, TextEncoder, TextDecoder, console };
  runInNewContext(code, sandbox);
  const nb = sandbox.nb as typeof import('../src/core.js');
  assert.equal(nb.getBackend().name, 'reference');
  const x = nb.vector('x');
  const w = nb.shared(nb.array([1, 2, 3]), 'w');
  const cost = nb.sum(nb.square(nb.sub(w, x)));
  const [gw] = nb.grad(cost, [w]);
  const step = nb.fn([x], cost, { updates: [[w, nb.sub(w, nb.mul(gw, 0.25))]] });
  assert.equal(step(nb.array([0, 0, 0])), 14);
  assert.deepEqual(Array.from(w.get().data), [0.5, 1, 1.5]);
  assert.throws(() => nb.setBackend('native'), /no native backend here/);
  const model = new nb.LogisticRegression({ imageShape: [2, 2], classes: 3 });
  assert.throws(() => model.save('model.nbm'), /model\.nbm: model files need Node's file system; in a browser keep the model as bytes/);
  const copy = nb.classifierFromBytes(model.toBytes({ note: 'in memory' }), 'memory');
  assert.equal(copy.kind, 'logreg');
  assert.deepEqual({ ...copy.meta }, { note: 'in memory' });
});
