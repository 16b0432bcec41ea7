// The compiled function's type: its parameters follow nb.fn's inputs and its result the outputs (a number for
// a cost that is a scalar by type, a tuple for a list, undefined for none). tsc checks the annotations and
// the @ts-expect-error lines; the calls check that the values are what the types say.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as nb from '../../src/index.js';

test('nb.fn types its parameters by its inputs and its results by its outputs', () => {
  const [x, y] = [nb.matrix('x'), nb.ivector('y')];
  const W = nb.shared(nb.zeros([3, 2]), 'W');
  const p = nb.softmax(x.dot(W));
  const cost = nb.nll(p, y);
  const step: (x: nb.Argument, y: nb.Argument) => number = nb.fn([x, y], cost);
  assert.ok(Math.abs(step([[1, 2, 3]], [1]) - Math.log(2)) < 1e-6);

  const both: [number, nb.Result] = nb.fn([x, y], [cost, p])([[1, 2, 3]], [0]);
  assert.equal(typeof both[0], 'number');
  assert.ok(both[1] instanceof nb.NDArray);

  const none: undefined = nb.fn([x], null, { updates: [[W, W.add(1)]] })([[0, 0, 0]]);
  assert.equal(none, undefined);
  assert.deepEqual([...W.get().data], [1, 1, 1, 1, 1, 1]);

  // @ts-expect-error: two inputs, so two arguments
  assert.throws(() => step([[1, 2, 3]]), /expected 2 arguments \(x, y\), got 1/);
  // @ts-expect-error: a cost that is a scalar by type comes back as a number, not an NDArray
  const wrong: nb.NDArray = step([[1, 2, 3]], [1]);
  assert.equal(typeof wrong, 'number');
});
