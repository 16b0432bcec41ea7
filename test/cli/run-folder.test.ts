// A run folder owns its run, with real processes: a second run in the same --out is refused at once and
// the first ends with its files intact; a rerun without --resume is refused, --force moves the earlier
// files aside; a SIGKILL in the middle of a checkpoint write leaves a loadable checkpoint, and the next
// start removes the temporary file; locks go on SIGTERM, and a dead run's lock is taken over.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, watch, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadModelFile } from '../../src/models/index.js';
import { readMetrics } from '../../src/train/metrics.js';
import { lastJson, makeIdxFolder, nabla, nablaWithin, startNabla } from './fixtures.js';

const data = makeIdxFolder(600, 100);
const root = mkdtempSync(join(tmpdir(), 'nabla-folder-'));
const small = ['--dataset', data, '--validation-size', '100', '--batch-size', '20', '--quiet', '--json'];
const logreg = (out: string, ...more: string[]) => ['train', 'logreg', ...small, '--epochs', '2', '--out', out, ...more];

const until = async (ready: () => boolean, what: string) => {
  for (let waited = 0; !ready(); waited += 5) {
    if (waited > 60000) throw new Error(`waited a minute for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
};
const bytesOf = (folder: string, names: string[]) => names.map((n) => readFileSync(join(folder, n)));
const RUN = ['model.nbm', 'resume.nbm', 'metrics.jsonl'];

test('a second run in the same folder is refused at once, naming the first; the first ends with its files intact', async () => {
  const out = join(root, 'two');
  const first = startNabla('train', 'mlp', ...small, '--hidden', '32', '--epochs', '15', '--seed', '7', '--out', out);
  await until(() => existsSync(join(out, 'metrics.jsonl')), 'the first run to write its metrics');
  // Paused, the first run is alive and holds the folder however long the second takes to start.
  first.child.kill('SIGSTOP');
  const second = nabla(...logreg(out, '--seed', '8'));
  first.child.kill('SIGCONT');
  assert.equal(second.status, 1, second.stderr);
  const message = second.stderr.trim();
  assert.equal(message.split('\n').length, 1, message);
  const owner = JSON.parse(readFileSync(join(out, 'run.lock'), 'utf8')) as { pid: number; started: string };
  assert.equal(owner.pid, first.child.pid);
  assert.match(message, new RegExp(`in use by another run: pid ${first.child.pid} on host ${hostname()}.*started ${owner.started}`));
  const done = await first.done;
  assert.equal(done.status, 0, done.stderr);
  const summary = lastJson(done);
  assert.equal(summary.model, 'mlp');
  // Its metrics are its own validations in order, its model its own, and the lock is gone.
  const rows = readMetrics(join(out, 'metrics.jsonl'));
  assert.equal(rows.length, 15);
  assert.deepEqual(rows.map((r) => r.iteration), Array.from({ length: 15 }, (_, i) => 25 * (i + 1)));
  const model = loadModelFile(join(out, 'model.nbm'));
  assert.equal(model.kind, 'mlp');
  assert.equal((model.meta!.run as { seed: number }).seed, 7);
  assert.equal(model.meta!.best_valid_error, summary.best_valid_error);
  assert.ok(!existsSync(join(out, 'run.lock')));
});

test('a rerun without --resume is refused and changes nothing; --force starts over, the earlier files moved aside', () => {
  const out = join(root, 'rerun');
  assert.equal(nabla(...logreg(out)).status, 0);
  const before = bytesOf(out, RUN);
  const again = nabla(...logreg(out, '--lr', '0.05'));
  assert.equal(again.status, 1);
  assert.match(again.stderr.trim(), /^nabla: \S+ holds an earlier run \(metrics\.jsonl, model\.nbm, resume\.nbm\): add --resume to continue it, or --force to start over/);
  assert.deepEqual(bytesOf(out, RUN), before);
  assert.match(nabla(...logreg(out, '--resume', '--force')).stderr, /--resume and --force: give one/);

  const forced = nabla(...logreg(out, '--lr', '0.05', '--force'));
  assert.equal(forced.status, 0, forced.stderr);
  const previous = readdirSync(out).filter((n) => n.startsWith('previous-'));
  assert.equal(previous.length, 1);
  assert.match(previous[0], /^previous-\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d$/);
  assert.deepEqual(bytesOf(join(out, previous[0]), RUN), before);
  assert.equal((loadModelFile(join(out, 'model.nbm')).meta!.run as { lr: number }).lr, 0.05);
});

test('SIGKILL in the middle of a checkpoint write: the checkpoint loads, the next start removes the temporary file', async () => {
  // Wide layers make each resume state tens of megabytes, so a kill at its temporary file's creation lands mid-write.
  const out = join(root, 'killed');
  const args = ['train', 'mlp', ...small, '--hidden', '2000', '--optimizer', 'momentum', '--validation-frequency', '5', '--epochs', '2', '--out', out];
  mkdirSync(out);
  let caught = 0;
  for (let attempt = 0; attempt < 5 && caught === 0; attempt++) {
    const run = startNabla(...args, ...(attempt ? ['--resume'] : []));
    // Killed as a resume state's temporary file appears, once an earlier resume state is complete.
    const watcher = watch(out, (_, name) => {
      if (name?.startsWith('resume.nbm.tmp-') && existsSync(join(out, 'resume.nbm'))) run.child.kill('SIGKILL');
    });
    const killed = await run.done;
    watcher.close();
    assert.equal(killed.signal, 'SIGKILL', killed.stderr);
    caught = readdirSync(out).filter((n) => /\.tmp-[0-9a-f]{12}$/.test(n)).length;
  }
  assert.ok(caught > 0, 'no kill landed during a write in five tries');
  // The lock of the killed run stays behind; the resume state is the previous complete one.
  assert.ok(existsSync(join(out, 'run.lock')));
  assert.equal(loadModelFile(join(out, 'resume.nbm')).kind, 'resume-state');
  const resumed = nabla(...args, '--resume');
  assert.equal(resumed.status, 0, resumed.stderr);
  assert.match(resumed.stderr, new RegExp(`removed ${caught} temporary file\\(s\\) left in ${out}`));
  assert.deepEqual(readdirSync(out).filter((n) => n.includes('.tmp-') || n.startsWith('run.lock')), []);
  assert.equal(lastJson(resumed).stopped_by, 'epochs');
});

test('SIGTERM ends a run at once; its lock, naming a dead process, is taken over; a live one refuses', async () => {
  const out = join(root, 'signals');
  const run = startNabla('train', 'mlp', ...small, '--hidden', '32', '--epochs', '500', '--out', out);
  await until(() => existsSync(join(out, 'metrics.jsonl')), 'the run to start');
  run.child.kill('SIGTERM');
  assert.equal((await run.done).signal, 'SIGTERM');
  assert.equal((JSON.parse(readFileSync(join(out, 'run.lock'), 'utf8')) as { pid: number }).pid, run.child.pid);

  // The test runner's own pid is alive.
  const lock = (pid: number) => writeFileSync(join(out, 'run.lock'), JSON.stringify({ pid, host: hostname(), started: new Date().toISOString(), command: 'x' }));
  lock(process.pid);
  const refused = nabla('train', 'mlp', ...small, '--out', out, '--resume');
  assert.match(refused.stderr, new RegExp(`in use by another run: pid ${process.pid} on host`));
  // A pid that has just exited is dead.
  lock(spawnSync(process.execPath, ['-e', '0']).pid);
  const resumed = nabla('train', 'mlp', ...small, '--hidden', '32', '--epochs', '3', '--out', out, '--resume');
  assert.equal(resumed.status, 0, resumed.stderr);
  assert.ok(!existsSync(join(out, 'run.lock')));
});

test('--out /proc/x is a one-line error naming the folder, for train and eval, not a hang', () => {
  const model = join(root, 'rerun', 'model.nbm');
  for (const args of [logreg('/proc/nabla-x'), ['eval', model, '--dataset', data, '--out', '/proc/nabla-x/y']]) {
    const r = nablaWithin(30000, ...args);
    assert.equal(r.status, 1, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr.trim(), /^nabla: \/proc\/nabla-x(\/y)?: cannot create this folder \(ENOENT\)$/);
  }
  // A folder where a file belongs: the model, or an image.
  const folder = nablaWithin(30000, 'eval', join(root, 'rerun'));
  assert.equal(folder.stderr.trim(), `nabla: ${join(root, 'rerun')}: is a folder, not a file (EISDIR)`);
  const image = nablaWithin(30000, 'predict', model, root);
  assert.equal(image.stderr.trim(), `nabla: ${root}: is a folder, not a file (EISDIR)`);
});
