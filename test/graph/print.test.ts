// pp() and debugPrint(): graphs as people read them — infix arithmetic, names kept, attributes shown,
// one line per node with its type, and shared sub-graphs printed once.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as nb from '../../src/index.js';

test('pp prints the DESIGN.md model as one expression', () => {
  const x = nb.matrix('x');
  const W = nb.shared(nb.zeros([784, 10]), 'W');
  const b = nb.shared(nb.zeros([10]), 'b');
  assert.equal(nb.pp(nb.softmax(x.dot(W).add(b))), 'softmax((dot(x, W) + b))');
});

test('pp writes arithmetic infix, constants by value, attributes in braces, unnamed inputs by type', () => {
  const x = nb.matrix('x');
  assert.equal(nb.pp(x.add(1).mul(x)), '((x + 1) * x)');
  assert.equal(nb.pp(nb.lt(x, 0.5)), '(x < 0.5)');
  assert.equal(nb.pp(x.sum(1)), 'sum{axes=[1]}(x)');
  assert.equal(nb.pp(x.sum(1, true)), 'sum{axes=[1], keepdims=true}(x)');
  assert.equal(nb.pp(nb.cast(x, 'float64')), 'cast{dtype="float64"}(x)');
  assert.equal(nb.pp(nb.matrix().mul(2.5)), '(<float32[?, ?]> * 2.5)');
  assert.equal(nb.pp(x), 'x');
});

test('pp marks which output of a multi-output node is used', () => {
  const [a, c, u] = [nb.vector('a'), nb.vector('c'), nb.vector('u')];
  const g = nb.grad(nb.concatenate([a, c]).mul(u).sum(), c);
  assert.match(nb.pp(g), /^split\{axis=0, .*\)\[1\]$/);
});

test('debugPrint lists each node once, with output types, in order, then the outputs', () => {
  const x = nb.matrix('x');
  const h = x.exp();
  const cost = h.add(h).sum();
  cost.name = 'cost';
  assert.equal(
    nb.debugPrint([cost]),
    ['%0: float32[?, ?] = exp(x)', '%1: float32[?, ?] = add(%0, %0)', 'cost: float32[] = sum{axes=[0,1]}(%1)', 'outputs: cost'].join('\n'),
  );
});

test('debugPrint of a model: every line is "name: type = op(args)" and names the shared variables', () => {
  const x = nb.matrix('x');
  const y = nb.ivector('y');
  const W = nb.shared(nb.zeros([784, 10]), 'W');
  const b = nb.shared(nb.zeros([10]), 'b');
  const text = nb.debugPrint([nb.nll(nb.softmax(x.dot(W).add(b)), y)]);
  const lines = text.split('\n');
  for (const line of lines.slice(0, -1)) assert.match(line, /^[%\w]+: (float32|float64|int32)\[[\d?, ]*\] = \w+(\{.*\})?\(.*\)$/);
  assert.match(text, /= dot\(x, W\)\n/);
  assert.match(text, /float32\[\?, 10\] = add\(%\d+, b\)/);
  assert.match(lines[lines.length - 1], /^outputs: %\d+$/);
  assert.ok(!text.includes('[object Object]'));
});
