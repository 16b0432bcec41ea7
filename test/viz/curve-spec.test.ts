// The learning-curve spec: measures and stages found in metrics lines, one stage's points per run, log scales
// without points ≤ 0, and a spec Vega-Lite compiles with one colour per run in the order given.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { build } from 'esbuild';
import { compile, type TopLevelSpec } from 'vega-lite';
import { curvePoints, curveSpec, isFractionMeasure, measuresOf, stagesOf } from '../../src/viz/curve-spec.js';
import type { MetricsLine } from '../../src/train/metrics.js';

const pretrain: MetricsLine[] = [1, 2, 3].map((epoch) => ({
  epoch, iteration: epoch * 10, seconds: epoch, stage: 'pretrain-1', reconstruction_cost: 80 / epoch,
}));
const finetune: MetricsLine[] = [1, 2].map((epoch) => ({
  epoch, iteration: 30 + epoch * 10, seconds: 3 + epoch, stage: 'finetune', train_cost: 0.5 / epoch, valid_error: [0.09, 0.08][epoch - 1],
}));
const rows = [...pretrain, ...finetune];

test('measuresOf lists every numeric field but the axes, in order of appearance; stagesOf the stages', () => {
  assert.deepEqual(measuresOf(rows), ['reconstruction_cost', 'train_cost', 'valid_error']);
  assert.deepEqual(stagesOf(rows), ['pretrain-1', 'finetune']);
  assert.deepEqual(stagesOf([{ epoch: 1, iteration: 1, seconds: 0, cost: 1 }]), [undefined]);
  assert.ok(isFractionMeasure('valid_error') && isFractionMeasure('test_f1') && !isFractionMeasure('train_cost'));
});

test('curvePoints keeps one stage, drops non-finite values and, on a log scale, values ≤ 0', () => {
  const other: MetricsLine[] = [
    { epoch: 1, iteration: 5, seconds: 1, stage: 'finetune', valid_error: NaN },
    { epoch: 2, iteration: 9, seconds: 2, stage: 'finetune', valid_error: 0 },
  ];
  const runs = [{ name: 'a', rows }, { name: 'b', rows: other }];
  const points = curvePoints(runs, 'valid_error', { stage: 'finetune' });
  assert.deepEqual(points.map((p) => [p.run, p.x, p.value]), [['a', 1, 0.09], ['a', 2, 0.08], ['b', 2, 0]]);
  assert.equal(curvePoints(runs, 'valid_error', { stage: 'finetune', logY: true }).length, 2);
  assert.deepEqual(curvePoints(runs, 'valid_error', { stage: 'finetune', x: 'iteration' }).map((p) => p.x), [40, 50, 9]);
  assert.equal(curvePoints(runs, 'valid_error').length, 0, 'lines with a stage are not the stage-less curve');
});

test('curveSpec compiles to Vega with the runs as the colour domain, in the order given', () => {
  const runs = [{ name: 'lr 0.1', rows: finetune }, { name: 'lr 0.01', rows: finetune }];
  for (const options of [{ stage: 'finetune' }, { stage: 'finetune', logY: true, smoothing: 2 }]) {
    const vega = compile(curveSpec(runs, 'valid_error', options) as TopLevelSpec).spec;
    const color = vega.scales?.find((s) => s.name === 'color');
    assert.deepEqual(color?.domain, ['lr 0.1', 'lr 0.01']);
    const y = vega.scales?.find((s) => s.name === 'y');
    assert.equal(y?.type, options.logY ? 'log' : 'linear');
    assert.equal(JSON.stringify(vega.title), JSON.stringify({ text: 'valid error (finetune)', frame: 'group' }));
  }
});

test('curve-spec.ts bundles for the browser: no Node module reaches it', async () => {
  const result = await build({
    entryPoints: ['src/viz/curve-spec.ts'], bundle: true, platform: 'browser', format: 'esm', write: false, logLevel: 'silent',
  });
  const code = result.outputFiles[0].text;
  assert.ok(code.includes('function curveSpec'), 'the bundle holds curveSpec');
  assert.doesNotMatch(code, /from "node:|require\("node:/);
});
