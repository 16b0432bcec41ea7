// Each method builds the graph its op function builds: x.add(y) is add(x, y), x.rsub(y) is sub(y, x).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as nb from '../../src/index.js';

const x = nb.matrix('x');
const y = nb.matrix('y');
const same = (method: nb.Variable, op: nb.Variable) => assert.equal(nb.pp(method), nb.pp(op));

test('binary and unary methods call the op of the same name; rsub swaps its operands', () => {
  same(x.add(y), nb.add(x, y));
  same(x.pow(2), nb.pow(x, 2));
  same(x.neq(y), nb.neq(x, y));
  same(x.rsub(1), nb.sub(1, x));
  same(x.sigmoid(), nb.sigmoid(x));
  same(x.clip(0, 1), nb.clip(x, 0, 1));
  same(x.astype('float64'), nb.cast(x, 'float64'));
});

test('reductions pass axis and keepdims; var is variance', () => {
  same(x.sum(), nb.sum(x));
  same(x.max(1, true), nb.max(x, 1, true));
  same(x.var(0), nb.variance(x, 0));
  same(x.argmax(1), nb.argmax(x, 1));
  same(x.argmin(null, true), nb.argmin(x, null, true));
});

test('shape methods and the getters T and shape', () => {
  same(x.T, nb.transpose(x));
  same(x.transpose([1, 0]), nb.transpose(x, [1, 0]));
  same(x.shape, nb.shape(x));
  same(x.dot(y.T), nb.dot(x, nb.transpose(y)));
  same(x.dimshuffle([1, 'x', 0]), nb.dimshuffle(x, [1, 'x', 0]));
  same(x.reshape([-1]), nb.reshape(x, [-1]));
  same(x.flatten(), nb.flatten(x));
  same(x.at(0, nb.slice(1, 3)), nb.at(x, 0, nb.slice(1, 3)));
  same(x.take(nb.ivector('i')), nb.take(x, nb.ivector('i')));
});
