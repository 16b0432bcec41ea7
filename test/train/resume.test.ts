// Resuming: a run stopped part-way (as a kill would stop it) and resumed from its files ends exactly
// where an uninterrupted run with the same seed ends: same parameters bit for bit, same metrics, same
// result. Dropout masks, momentum velocities and a learning-rate schedule make the state non-trivial.
import '../single-thread.js';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadMnist } from '../../src/data/index.js';
import { Mlp, loadModelFile } from '../../src/models/index.js';
import { fitClassifier, loadResumeState, readMetrics, type FitOptions } from '../../src/train/index.js';
import { gemmKernels, threadKernels, useGemmKernels, useThreadKernels } from '../../src/backends/index.js';
import { DEFAULT_THREADS } from '../../src/backends/native/thread-choice.js';
import { everyClass } from '../../src/backends/native/kernel-choice.js';

const data = loadMnist({ limit: { train: 600, valid: 200, test: 200 } });
const build = () => new Mlp({ imageShape: [28, 28], classes: 10, hidden: [24], activation: 'tanh', keep: [0.9, 0.5] }, 99);
const options = (out: string, extra: Partial<FitOptions> = {}): FitOptions => ({
  batchSize: 20, learningRate: 0.05, maxEpochs: 4, l2: 1e-4, optimizer: 'momentum', momentum: 0.9, schedule: 'step:0.5:2',
  earlyStopping: { patience: 10000, patienceIncrease: 2, improvementThreshold: 0.995, validationFrequency: 20 },
  out, runConfig: { test: 'resume' }, ...extra,
});
const withoutSeconds = (rows: object[]) => rows.map((r) => ({ ...r, seconds: 0 }));

test('a run stopped after 70 iterations and resumed ends bit for bit where an uninterrupted run ends', () => {
  const root = mkdtempSync(join(tmpdir(), 'nabla-resume-'));
  const whole = fitClassifier(build(), data, options(join(root, 'whole')));

  const out = join(root, 'killed');
  const killed = fitClassifier(build(), data, options(out, { stopAfter: 70 }));
  assert.equal(killed.stoppedBy, 'interrupted');
  assert.equal(loadResumeState(join(out, 'resume.nbm'))!.loop.iteration, 60, 'the last snapshot is the validation at iteration 60');
  // The killed run's metrics hold three validations; the resumed run keeps them and redoes 61 to 70.
  assert.equal(readMetrics(join(out, 'metrics.jsonl')).length, 3);
  const resumed = fitClassifier(build(), data, options(out, { resume: true }));

  assert.equal(resumed.resumedFrom, 60);
  const comparable = (r: typeof whole) => ({ ...r, seconds: 0, cpuSeconds: 0, history: [], modelPath: '', metricsPath: '', resumePath: '', resumedFrom: 0 });
  assert.deepEqual(comparable(resumed), comparable(whole));
  assert.deepEqual(withoutSeconds(resumed.history), withoutSeconds(whole.history));
  const [a, b] = [loadModelFile(whole.modelPath!), loadModelFile(resumed.modelPath!)];
  for (const name of Object.keys(a.tensors)) assert.deepEqual(b.tensors[name].data, a.tensors[name].data, name);
  // 4 epochs of 30 minibatches, validated every 20.
  assert.equal(whole.history.length, 6);
  assert.equal(readFileSync(whole.metricsPath!, 'utf8').trim().split('\n').length, 6);
});

test('resuming with other options is refused, naming the file and the differences', () => {
  const out = join(mkdtempSync(join(tmpdir(), 'nabla-resume-')), 'run');
  fitClassifier(build(), data, options(out, { stopAfter: 25 }));
  assert.throws(
    () => fitClassifier(build(), data, options(out, { resume: true, runConfig: { test: 'other' } })),
    new RegExp(`${join(out, 'resume.nbm')}: was written by a run with other options \\(test: "resume" → "other"\\)`),
  );
  const other = new Mlp({ imageShape: [28, 28], classes: 10, hidden: [12], activation: 'tanh', keep: [0.9, 0.5] }, 99);
  assert.throws(() => fitClassifier(other, data, options(out, { resume: true })), /resume.nbm: shared variable hidden0\.W\S* is float32\[784, 12\]; cannot set a value of shape \[784, 24\]; it was written by a different model or optimiser/);
});

test('a resumed run runs the gemm kernels and thread sizes its resume state recorded, so it still ends bit for bit', (t) => {
  const before = gemmKernels();
  if (!before) return t.skip('the native backend is not in use');
  const blas = everyClass('blas');
  // Every loop split across threads: another order of sums than the built-in sizes.
  const splitAll = { elementwise: 0, reduce: 0, pool: 0, conv: 'gemm' as const };
  const threadsBefore = threadKernels();
  const short = (out: string, extra: Partial<FitOptions> = {}) => options(out, { maxEpochs: 2, ...extra });
  try {
    const root = mkdtempSync(join(tmpdir(), 'nabla-resume-'));
    useGemmKernels(blas);
    useThreadKernels(splitAll);
    const whole = fitClassifier(build(), data, short(join(root, 'whole')));
    const out = join(root, 'killed');
    fitClassifier(build(), data, short(out, { stopAfter: 30 }));
    assert.deepEqual(loadResumeState(join(out, 'resume.nbm'))!.gemmKernels, blas);
    assert.deepEqual(loadResumeState(join(out, 'resume.nbm'))!.threadKernels, splitAll);
    // This process has since chosen our kernels; resuming puts OpenBLAS back.
    useGemmKernels(everyClass('ours'));
    useThreadKernels(DEFAULT_THREADS);
    const resumed = fitClassifier(build(), data, short(out, { resume: true }));
    assert.deepEqual(gemmKernels(), blas);
    assert.deepEqual(threadKernels(), splitAll);
    const [a, b] = [loadModelFile(whole.modelPath!), loadModelFile(resumed.modelPath!)];
    for (const name of Object.keys(a.tensors)) assert.deepEqual(b.tensors[name].data, a.tensors[name].data, name);
  } finally {
    useGemmKernels(before, 'default');
    useThreadKernels(threadsBefore!, 'default');
  }
});
