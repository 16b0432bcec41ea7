// Check mode names the first phase that changes a value: a wrong rewrite, a wrong fusion, a kernel that
// reads the buffer the memory plan hands it back; and a checked function computes what an unchecked one
// does, random draws and updates included, since the check runs on private copies of the state.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as nb from '../../src/index.js';
import type { NDArray } from '../../src/index.js';
import type { LocalRewrite, Phase } from '../../src/graph/rewrite.js';
import type { Kernel } from '../../src/backends/index.js';

const backend = nb.setBackend((process.env.NABLA_TEST_BACKEND ?? 'reference') as nb.BackendName);

/** The first call's error message, or '' when it passes. */
function checkError(f: () => unknown): string {
  try {
    f();
    return '';
  } catch (e) {
    return (e as Error).message;
  }
}

test('a rewrite that changes a value is caught and named after its phase (stabilize)', () => {
  const wrong = (node: nb.Apply) => (node.op.name === 'exp' ? [nb.exp(node.inputs[0]).mul(1.001)] : null);
  const rewrites = nb.stabilizingRewrites as LocalRewrite[];
  rewrites.push(wrong);
  try {
    const x = nb.vector('x');
    const message = checkError(() => nb.fn([x], nb.exp(x).sum(), { check: true, name: 'f' })([1, 2]));
    assert.match(message, /^check: the stabilize phase changes a value of f: output 0, element 0, is 10\.1\d+, was 10\.10\d+/);
  } finally {
    rewrites.pop();
  }
});

test("a backend's fusion that changes a value is caught and named fuse", () => {
  const fusion: Phase = { name: 'fuse', run: (outputs) => outputs.map((v) => v.mul(1.5)) };
  const x = nb.vector('x');
  const message = checkError(() => nb.fn([x], nb.exp(x), { check: true, backend: { ...backend, fusion } })([0, 1]));
  assert.match(message, /^check: the fuse phase changes a value: output 0, element 0, is 1\.5, was 1 /);
});

test('a kernel that adds into its output buffer is caught by the memory plan, which hands it last call\'s buffer', () => {
  const reference = nb.referenceBackend.kernels;
  const accumulating: Kernel = ([x], _attrs, _node, allocate) => {
    const out = allocate(x.dtype, x.shape);
    x.data.forEach((v, i) => (out.data[i] += Math.exp(v)));
    return [out];
  };
  const leaky: nb.Backend = { name: 'leaky', kernels: { ...reference, exp: accumulating } };
  const x = nb.vector('x', 'float64');
  const message = checkError(() => nb.fn([x], nb.exp(x).sum(), { check: true, backend: leaky })([0, 0]));
  assert.match(message, /^check: the memory plan phase changes a value: call 2: output 0, element 0, is 4, was 2 /);
});

test('a checked training step computes what an unchecked one does, and reports every phase within round-off', () => {
  const results = [false, true].map((check) => {
    const W = nb.shared(nb.array([[0.1, -0.2], [0.3, 0.4], [-0.5, 0.6]]), 'W');
    const rng = new nb.RandomStreams(11);
    const x = nb.matrix('x');
    const h = nb.sigmoid(x.mul(rng.binomial(x.shape, 1, 0.8)).dot(W));
    const cost = nb.binaryCrossentropy(h, nb.array([[0.5, 0.5], [0.5, 0.5]])).mean();
    const [gW] = nb.grad(cost, [W]);
    const reports: nb.CheckReport[] = [];
    const step = nb.fn([x], [cost, h], {
      updates: [[W, W.sub(gW.mul(0.5))]],
      check: check && ((r) => reports.push(r)),
    });
    const data = [[1, 2, 3], [0.5, -1, 0]];
    const outputs = [step(data), step(data)].flat() as (number | NDArray)[];
    return { values: [...outputs, W.value].map((v) => (typeof v === 'number' ? v : Array.from(v.data))), reports };
  });
  assert.deepEqual(results[1].values, results[0].values);
  const [report] = results[1].reports;
  assert.deepEqual(report.phases.map((p) => p.phase), nb.pipeline.map((p) => p.name));
  for (const p of report.phases) assert.ok(p.difference <= p.tolerance, `${p.phase}: ${p.difference} > ${p.tolerance}`);
  assert.ok(report.phases.some((p) => p.phase === 'stabilize' && p.tolerance > 0), 'the stable forms were compared');
});

test('NABLA_CHECK=1 checks every compiled function and prints one line per function on standard error', () => {
  const lines: string[] = [];
  const print = console.error;
  process.env.NABLA_CHECK = '1';
  console.error = (line: string) => lines.push(line);
  try {
    const x = nb.vector('x');
    nb.fn([x], nb.log(nb.sigmoid(x)).sum(), { name: 'g' })([1, -2]);
  } finally {
    console.error = print;
    delete process.env.NABLA_CHECK;
  }
  assert.equal(lines.length, 1);
  assert.match(lines[0], new RegExp(`^check: ${nb.pipeline.length} phases of g, worst difference \\S+.*; merge \\S+, canonicalize \\S+, stabilize \\S+`));
});
