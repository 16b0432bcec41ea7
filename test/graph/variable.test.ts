// Variable's methods come from its class, not from modules that patch it: before ops/ and compile/ have
// handed over what the methods call, a method says which import is missing. The tests run in order: the
// later ones import ops/ and compile/, which no earlier one may have done (each test file is its own process).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { vector } from '../../src/graph/constructors.js';
import { Variable } from '../../src/graph/variable.js';
import { VariableMethods } from '../../src/graph/variable-methods.js';

const ownNames = (o: object) => Object.getOwnPropertyNames(o).sort();
const declared = { variable: ownNames(Variable.prototype), methods: ownNames(VariableMethods.prototype) };

test('the methods are declared on the classes, the getters T and shape among them', () => {
  for (const name of ['add', 'rsub', 'sum', 'var', 'argmax', 'dot', 'transpose', 'at', 'clip', 'astype']) assert.ok(declared.methods.includes(name), name);
  for (const name of ['T', 'shape']) assert.equal(typeof Object.getOwnPropertyDescriptor(VariableMethods.prototype, name)?.get, 'function', name);
  assert.ok(declared.variable.includes('eval'));
});

test('before src/ops/index.ts is loaded a method names the missing import', () => {
  const x = vector('x');
  const message = /Variable's methods \(x\.add\(y\), x\.T, \.\.\.\) call op functions that src\/ops\/index\.ts provides, and nothing has imported it yet: import nabla \(src\/index\.ts\) or src\/ops\/index\.ts first/;
  assert.throws(() => x.add(1), message);
  assert.throws(() => x.T, message);
  assert.throws(() => x.eval(), /x\.eval\(\) calls the compiler that src\/compile\/index\.ts provides/);
});

test('loading ops/ and then compile/ makes the methods and eval work, and patches nothing', async () => {
  const ops = await import('../../src/ops/index.js');
  const x = vector('x');
  assert.equal(x.add(1).owner?.op.name, 'add');
  assert.throws(() => x.eval(), /x\.eval\(\) calls the compiler that src\/compile\/index\.ts provides/);
  await import('../../src/compile/index.js');
  assert.equal(ops.sum(ops.asVariable([1, 2, 3])).eval(), 6);
  assert.deepEqual({ variable: ownNames(Variable.prototype), methods: ownNames(VariableMethods.prototype) }, declared);
});
