// Two short MLP runs with different learning rates, as a user makes them: each leaves a run.json receipt
// (command, every option, seed, nabla's version and commit, the machine, times, status, summary), and
// `nabla compare` draws their curves on the same axes and tables their options, the differing ones first.
import '../single-thread.js';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getRecipe } from '../../src/cli/recipes/index.js';
import { readReceipt } from '../../src/cli/recipes/run-receipt.js';
import { compareRuns } from '../../src/cli/commands/compare.js';
import { main } from '../../src/cli/main.js';
import { readPng } from '../viz/decode.js';

const root = mkdtempSync(join(tmpdir(), 'nabla-compare-'));
const runs = [join(root, 'lr-0.1'), join(root, 'lr-0.01')];

test('each run keeps a receipt; compare draws both runs per measure and tables their options', async () => {
  for (const [i, lr] of ['0.1', '0.01'].entries()) {
    const options = { limit: '1000,200,200', epochs: '3', hidden: '20', lr, out: runs[i] };
    await getRecipe('mlp').run(options, { quiet: true });
  }
  const receipt = readReceipt(runs[0])!;
  assert.deepEqual(receipt.command.slice(0, 3), ['nabla', 'train', 'mlp']);
  assert.ok(receipt.command.includes('--lr') && receipt.command.includes('0.1'));
  assert.equal(receipt.options.lr, 0.1);
  assert.equal(receipt.options.batchSize, 20, 'defaults are recorded too');
  assert.equal(receipt.seed, receipt.options.seed);
  assert.match(receipt.nabla.version, /^\d+\.\d+\.\d+/);
  assert.match(receipt.nabla.commit ?? '', /^[0-9a-f]{40}$/, 'a checkout records its commit');
  assert.equal(receipt.node, process.version);
  assert.ok(receipt.cpu.model.length > 0);
  assert.equal(receipt.status, 'finished');
  assert.ok(Date.parse(receipt.started) <= Date.parse(receipt.ended!));
  assert.equal((receipt.summary as { best_valid_error: number }).best_valid_error, receipt.summary!.best_valid_error);

  const out = join(root, 'compare');
  const result = await compareRuns(runs, { out });
  assert.deepEqual(result.runs.map((r) => [r.name, r.lines]), [['lr-0.1', 3], ['lr-0.01', 3]]);
  assert.deepEqual(Object.keys(result.pictures), ['train_cost', 'valid_error', 'best_valid_error', 'test_error']);
  for (const png of Object.values(result.pictures)) {
    assert.ok(existsSync(png) && existsSync(png.replace(/\.png$/, '.svg')), png);
  }
  // Both runs drawn: each run's colour (Vega's first two) appears in the picture.
  const svg = readFileSync(join(out, 'curves-valid_error.svg'), 'utf8');
  for (const color of ['#4c78a8', '#f58518']) assert.ok(svg.includes(`stroke="${color}"`), `no line in ${color}`);
  assert.ok(readPng(result.pictures.valid_error).width > 500);
  // The options that differ come first, in bold; the ones shared follow.
  const lines = result.table.split('\n');
  assert.equal(lines[0], '| option | lr-0.1 | lr-0.01 |');
  assert.ok(lines.slice(2).findIndex((l) => l.startsWith('| **lr** | 0.1 | 0.01 |')) >= 0, result.table);
  assert.ok(lines.some((l) => /^\| hidden \| 20 \| 20 \|$/.test(l)), 'a shared option');
  assert.ok(lines.findIndex((l) => l.startsWith('| **')) < lines.findIndex((l) => l.startsWith('| hidden')));
  assert.ok(lines.some((l) => l.startsWith('| status | finished | finished |')));
  assert.match(readFileSync(result.report, 'utf8'), /!\[valid_error\]\(curves-valid_error\.png\)/);
});

test('nabla compare on the command line; a folder without metrics is named', async () => {
  const out = join(root, 'compare-cli');
  const printed: string[] = [];
  const log = console.log;
  console.log = (line: string) => printed.push(line);
  try {
    assert.equal(await main(['compare', ...runs, '--out', out, '--json', '--log-y', '--name', 'fast', '--name', 'slow', '--measure', 'train_cost']), 0);
  } finally {
    console.log = log;
  }
  const result = JSON.parse(printed.at(-1)!) as { runs: { name: string }[]; pictures: Record<string, string> };
  assert.deepEqual(result.runs.map((r) => r.name), ['fast', 'slow']);
  assert.deepEqual(Object.keys(result.pictures), ['train_cost']);
  assert.ok(existsSync(result.pictures.train_cost));
  await assert.rejects(compareRuns([join(root, 'nowhere')], { out }), { message: `${join(root, 'nowhere')}: no such run folder or .jsonl file` });
  const empty = mkdtempSync(join(root, 'empty-'));
  writeFileSync(join(empty, 'notes.txt'), '');
  await assert.rejects(compareRuns([runs[0], empty], { out }), { message: `${empty}: holds no metrics.jsonl (not a run folder, or a run from before metrics were written)` });
});

test('a published curve in a .jsonl file joins a run on the same axes, under the names given', async () => {
  const published = join(root, 'published.jsonl');
  writeFileSync(published, [0.2, 0.1, 0.05].map((v, i) => JSON.stringify({ epoch: i + 1, iteration: 0, seconds: 0, valid_error: v })).join('\n'));
  const out = join(root, 'compare-published');
  const result = await compareRuns([runs[0], published], { out, names: ['ours', 'paper'], measures: ['valid_error'], title: 'MLP' });
  assert.deepEqual(result.runs.map((r) => [r.name, r.lines]), [['ours', 3], ['paper', 3]]);
  assert.deepEqual(Object.keys(result.pictures), ['valid_error'], 'only the measure asked for');
  const svg = readFileSync(join(out, 'curves-valid_error.svg'), 'utf8');
  assert.ok(svg.includes('MLP: valid error') && svg.includes('>paper<') && svg.includes('>ours<'), 'title and legend');
  assert.match(result.table, /is a curve alone: its options are unknown/);
  await assert.rejects(compareRuns([runs[0], published], { out, measures: ['valid_eror'] }), /no run has valid_eror \(measures: train_cost, valid_error/);
  await assert.rejects(compareRuns([runs[0], published], { out, names: ['one'] }), /1 names \(--name\) for 2 runs/);
});

test('a run that fails says so in its receipt, with the error', async () => {
  const out = join(root, 'failed');
  const dataset = join(root, 'no-such-folder');
  await assert.rejects(getRecipe('logreg').run({ dataset, out }, { quiet: true }));
  const receipt = readReceipt(out)!;
  assert.equal(receipt.status, 'failed');
  assert.ok(receipt.ended !== null);
  assert.match(String(receipt.summary?.error), /no-such-folder/);
});
