// Helpers for the command-line tests: a small IDX data set in MNIST's layout, and running the nabla command
// as a user would, with one OpenMP thread (see test/single-thread.ts): its entry src/cli/nabla.ts under tsx,
// so the tests need no build (bin/nabla.js runs the compiled copy of the same entry).
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadMnist, writeIdx } from '../../src/data/index.js';
import { NDArray } from '../../src/ndarray/index.js';

const BIN = join(import.meta.dirname, '..', '..', 'src', 'cli', 'nabla.ts');
/** node's arguments before nabla's: tsx's loader, by its full path (the command runs elsewhere), then the entry. */
const NODE_ARGS = [`--import=${import.meta.resolve('tsx')}`, BIN];
/**
 * The command runs in an empty folder of its own, made once per test process, never in the checkout: what it
 * writes by default (runs/<model>/ without --out) lands there, so the tests give it absolute paths.
 */
const SPAWN = { cwd: mkdtempSync(join(tmpdir(), 'nabla-cwd-')), env: { ...process.env, OMP_NUM_THREADS: '1' } };

export interface CliResult {
  status: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Runs nabla with arguments and waits for it. */
export function nabla(...args: string[]): CliResult {
  return nablaWithin(undefined, ...args);
}

/** Runs nabla with arguments and waits for it at most `timeoutMs` (then it is killed: a hang fails the test). */
export function nablaWithin(timeoutMs: number | undefined, ...args: string[]): CliResult {
  const r = spawnSync(process.execPath, [...NODE_ARGS, ...args], { ...SPAWN, encoding: 'utf8', timeout: timeoutMs });
  return { status: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr };
}

/** Starts nabla without waiting; `done` resolves when it exits. */
export function startNabla(...args: string[]) {
  const child = spawn(process.execPath, [...NODE_ARGS, ...args], { ...SPAWN, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  const done = new Promise<CliResult>((resolve) => child.on('close', (status, signal) => resolve({ status, signal, stdout, stderr })));
  return { child, done };
}

/** A failed command: exit code 1 and exactly one line on standard error, matching `pattern`. */
export function assertOneLineError(result: CliResult, pattern: RegExp): void {
  assert.equal(result.status, 1, result.stderr);
  const lines = result.stderr.trim().split('\n');
  assert.equal(lines.length, 1, result.stderr);
  assert.match(lines[0], pattern);
}

/** The JSON object on the last line of standard output. */
export function lastJson(result: CliResult): Record<string, unknown> {
  const lines = result.stdout.trim().split('\n');
  return JSON.parse(lines[lines.length - 1]) as Record<string, unknown>;
}

/**
 * A folder of MNIST-named IDX files (gzipped, as downloads are) holding the first `train` official
 * training images and the first `test` test images.
 */
export function makeIdxFolder(train = 1200, test = 300): string {
  const dir = mkdtempSync(join(tmpdir(), 'nabla-idx-'));
  const mnist = loadMnist({ validationSize: 0, limit: { train, test } });
  const images = (x: NDArray) => x.reshape([x.shape[0], 28, 28]);
  writeIdx(join(dir, 'train-images-idx3-ubyte.gz'), images(mnist.train.x), { scale: true });
  writeIdx(join(dir, 'train-labels-idx1-ubyte.gz'), mnist.train.y);
  writeIdx(join(dir, 't10k-images-idx3-ubyte.gz'), images(mnist.test.x), { scale: true });
  writeIdx(join(dir, 't10k-labels-idx1-ubyte.gz'), mnist.test.y);
  return dir;
}

/** A copy of a folder, to damage. */
export function copyFolder(dir: string): string {
  const copy = mkdtempSync(join(tmpdir(), 'nabla-bad-'));
  cpSync(dir, copy, { recursive: true });
  return copy;
}
