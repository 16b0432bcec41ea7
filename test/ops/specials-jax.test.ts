// NaN and ±Inf cases whose expected values were computed by JAX 0.10.2 in float64 (jax_enable_x64, CPU,
// 2026-12-03), values and gradients, on the backend under test. Where nabla chooses otherwise (the gradient
// of a NaN max), the JAX value is given beside ours with the reason; docs/reliability.md lists the rules.
import { test } from 'node:test';
import * as nb from '../../src/index.js';
import type { DType, NDArray, Variable } from '../../src/index.js';
import { assertClose, backend, backendName, toPlain } from './harness.js';
import type { Plain } from './plain.js';

const [NaN_, Inf] = [NaN, Infinity];
type Nested = number | Nested[];

const flat = (v: Nested): number[] => (Array.isArray(v) ? v.flatMap(flat) : [v]);
const shapeOf = (v: Nested): number[] => (Array.isArray(v) ? [v.length, ...shapeOf(v[0])] : []);
const f64 = (v: Nested) => nb.array(Float64Array.from(flat(v)), 'float64', shapeOf(v));
const input = (v: Nested, name = 'x') => nb.tensor(name, 'float64', shapeOf(v).map(() => null));
const plain = (v: Nested, dtype: DType): Plain => ({ shape: shapeOf(v), data: flat(v), dtype });

/** Compiles f over float64 inputs holding `args`, runs it on the backend under test, checks `expected`. */
function check(what: string, args: Nested[], f: (...xs: Variable[]) => Variable, expected: Nested, dtype: DType = 'float64'): void {
  const xs = args.map((a, i) => input(a, `x${i}`));
  const y = f(...xs);
  const got = toPlain(nb.fn(xs, y, { backend })(...args.map(f64)) as NDArray | number, y.dtype);
  assertClose(got, plain(expected, dtype), 1e-12, `${what} (${backendName})`);
}

/** The gradient of sum(f(x)) with respect to x, checked against `expected`. */
function checkGrad(what: string, arg: Nested, f: (x: Variable) => Variable, expected: Nested): void {
  check(`d/dx ${what}`, [arg], (x) => nb.grad(f(x).sum(), [x])[0], expected);
}

test(`NaN wins max, min, maximum, minimum, relu, clip and pooling (${backendName})`, () => {
  check('max of all', [[1, NaN_, 3]], (x) => nb.max(x), NaN_);
  check('min of all', [[1, NaN_, -Inf]], (x) => nb.min(x), NaN_);
  check('max along axis 1', [[[1, NaN_], [-Inf, 2]]], (x) => x.max(1), [NaN_, 2]);
  check('maximum', [[NaN_, 1, Inf, -Inf], [1, NaN_, NaN_, 1]], (a, b) => nb.maximum(a, b), [NaN_, NaN_, NaN_, 1]);
  check('minimum', [[NaN_, 1, -Inf], [1, NaN_, NaN_]], (a, b) => nb.minimum(a, b), [NaN_, NaN_, NaN_]);
  check('relu', [[NaN_, Inf, -Inf, 0.5]], (x) => nb.relu(x), [NaN_, Inf, 0, 0.5]);
  check('clip to constants', [[NaN_, Inf, -Inf, 0.3]], (x) => nb.clip(x, -0.5, 0.5), [NaN_, 0.5, -0.5, 0.3]);
  check('clip to NaN bounds', [[0.3, 0.3], [NaN_, 0], [1, NaN_]], (x, lo, hi) => nb.clip(x, lo, hi), [NaN_, NaN_]);
  // JAX's reduce_window max over the window {5, NaN, 0, 2}: NaN (the case; the reference gave 5).
  check('maxPool2d', [[[5, NaN_], [0, 2]]], (x) => nb.maxPool2d(x, [2, 2]), [[NaN_]]);
  check('maxPool2d, NaN first', [[[NaN_, 5, 1, -Inf], [0, 2, Inf, 3]]], (x) => nb.maxPool2d(x, [2, 2]), [[NaN_, Inf]]);
  check('maxPool2d of partial windows', [[[1, 2, 3], [4, 5, NaN_], [7, 8, 9]]], (x) => nb.maxPool2d(x, [2, 2], false), [[5, NaN_], [8, 9]]);
});

test(`argmax and argmin point at the first NaN (${backendName})`, () => {
  check('argmax of all', [[1, NaN_, 3, NaN_]], (x) => nb.argmax(x), 1, 'int32');
  check('argmin of all', [[1, -Inf, NaN_]], (x) => nb.argmin(x), 2, 'int32');
  check('argmax of infinities', [[1, Inf, 3]], (x) => nb.argmax(x), 1, 'int32');
  check('argmin of a tie of +Inf', [[Inf, Inf]], (x) => nb.argmin(x), 0, 'int32');
  check('argmax along axis 1', [[[1, NaN_], [-Inf, 2], [Inf, Inf]]], (x) => x.argmax(1), [1, 1, 0], 'int32');
});

test(`comparisons with NaN are false (neq true), so a selection takes the other branch (${backendName})`, () => {
  const cases: [string, (a: Variable, b: Variable) => Variable, number[]][] = [
    ['lt', nb.lt, [0, 0, 0, 1]], ['gt', nb.gt, [0, 0, 0, 0]], ['le', nb.le, [0, 0, 1, 1]],
    ['ge', nb.ge, [0, 0, 1, 0]], ['eq', nb.eq, [0, 0, 1, 0]], ['neq', nb.neq, [1, 1, 0, 1]],
  ];
  for (const [name, op, expected] of cases) check(name, [[NaN_, 1, Inf, -Inf], [1, NaN_, Inf, Inf]], op, expected, 'int32');
  check('where(x > 0, 1, 2)', [[NaN_, 1, -1, Inf]], (x) => nb.where(nb.gt(x, 0), 1, 2), [2, 1, 2, 1], 'int32');
});

test(`element-wise functions at NaN and ±Inf (${backendName})`, () => {
  check('sigmoid', [[Inf, -Inf, NaN_]], (x) => nb.sigmoid(x), [1, 0, NaN_]);
  check('softplus', [[Inf, -Inf, NaN_]], (x) => nb.softplus(x), [Inf, 0, NaN_]);
  check('tanh', [[Inf, -Inf, NaN_]], (x) => nb.tanh(x), [1, -1, NaN_]);
  check('softsign (Inf / Inf)', [[Inf, -Inf, NaN_]], (x) => nb.softsign(x), [NaN_, NaN_, NaN_]);
  check('sign', [[NaN_, Inf, -Inf, 0.5]], (x) => nb.sign(x), [NaN_, 1, -1, 1]);
  check('floor and abs', [[-Inf, NaN_]], (x) => nb.floor(x).add(nb.abs(x)), [NaN_, NaN_]);
  // IEEE pow, where JavaScript's Math.pow gives NaN for 1 ** NaN and (±1) ** ±Infinity.
  check('pow', [[1, 1, -1, Inf, NaN_, 0, 2], [NaN_, Inf, -Inf, 0, 0, -1, -Inf]], (a, b) => nb.pow(a, b), [1, 1, 1, 1, 1, Inf, 0]);
  check('mod (floored)', [[0.5, -0.5, Inf, NaN_, 0.5], [Inf, Inf, 2, 2, 0]], (a, b) => nb.mod(a, b), [0.5, Inf, NaN_, NaN_, NaN_]);
  check('exp, log, log1p', [[-Inf, 0, -1]], (x) => nb.stack([nb.exp(x), nb.log(x), nb.log1p(x)]), [[0, 1, Math.exp(-1)], [NaN_, -Inf, NaN_], [NaN_, 0, -Inf]]);
  // Saturating, NaN to 0: never the wrapped -1294967296 + ... of a plain Int32Array store.
  check('cast to int32', [[NaN_, Inf, -Inf, 3e9, -3e9, 2.7, -2.7]], (x) => nb.cast(x, 'int32'), [0, 2147483647, -2147483648, 2147483647, -2147483648, 2, -2], 'int32');
});

test(`reductions, products and convolutions of infinities (${backendName})`, () => {
  check('mean, variance, sum, prod', [[1, Inf], [Inf, -Inf], [0, Inf]], (a, b, c) => nb.stack([nb.mean(a), nb.variance(a), nb.sum(b), nb.prod(c)]), [Inf, NaN_, NaN_, NaN_]);
  check('cumsum', [[1, Inf, -Inf, 2]], (x) => nb.cumsum(x), [1, Inf, NaN_, NaN_]);
  check('dot (0 · Inf is NaN)', [[[0, 1], [1, 1]], [[Inf, 0], [1, 1]]], (a, b) => nb.dot(a, b), [[NaN_, 1], [Inf, 1]]);
  // A NaN filter tap reaches only the outputs whose sum holds it, not the zero padding of 'full' mode.
  check('conv2d full, NaN filter', [[[[[1, 1], [1, 1]]]], [[[[NaN_, 1], [1, 2]]]]], (x, w) => nb.conv2d(x, w, 'full'), [[[[NaN_, NaN_, 1], [NaN_, NaN_, 3], [1, 3, 2]]]]);
  check('conv2d full, infinite filter', [[[[[1, 2], [3, 4]]]], [[[[1, Inf]]]]], (x, w) => nb.conv2d(x, w, 'full'), [[[[1, Inf, Inf], [3, Inf, Inf]]]]);
  check('conv2d valid, infinite image', [[[[[1, 2, 3], [4, Inf, 6], [7, 8, 9]]]], [[[[1, -1], [0, 2]]]]], (x, w) => nb.conv2d(x, w), [[[[Inf, -Inf], [NaN_, Inf]]]]);
  check('eigh of a NaN matrix', [[[1, NaN_], [NaN_, 1]]], (a) => { const [w, v] = nb.eigh(a); return nb.concatenate([w.dimshuffle(['x', 0]), v]); }, [[NaN_, NaN_], [NaN_, NaN_], [NaN_, NaN_]]);
});

test(`softmax, logSoftmax and cross-entropy with ±Inf logits (${backendName})`, () => {
  const z = [[-Inf, 1, 2], [Inf, 1, 2], [-Inf, -Inf, 0], [NaN_, 0, 1]];
  const e1 = 0.2689414213699951;
  check('softmax', [z], (x) => nb.softmax(x), [[0, e1, 1 - e1], [NaN_, NaN_, NaN_], [0, 0, 1], [NaN_, NaN_, NaN_]]);
  check('logSoftmax', [z], (x) => nb.logSoftmax(x), [[-Inf, -1.3132616875182228, -0.31326168751822286], [NaN_, NaN_, NaN_], [-Inf, -Inf, 0], [NaN_, NaN_, NaN_]]);
  check('softmax of a row of -Inf', [[[-Inf, -Inf]]], (x) => nb.softmax(x), [[NaN_, NaN_]]);
  // optax's sigmoid_binary_cross_entropy, -(t log σ(z) + (1 - t) log σ(-z)), gives [Inf, Inf, NaN, NaN, NaN]:
  // so does binaryCrossentropy(sigmoid(z), t), compiled to that form; sigmoidCrossentropyWithLogits computes
  // softplus(z) - t z, half the work, and is NaN at z = +Infinity.
  const [zs, ts] = [[Inf, -Inf, Inf, -Inf, NaN_], [0.3, 0.3, 1, 0, 0.5]];
  check('binaryCrossentropy of sigmoid', [zs, ts], (z, t) => nb.binaryCrossentropy(nb.sigmoid(z), t), [Inf, Inf, NaN_, NaN_, NaN_]);
  check('sigmoidCrossentropyWithLogits', [zs, ts], (z, t) => nb.sigmoidCrossentropyWithLogits(z, t), [NaN_, Inf, NaN_, NaN_, NaN_]);
});

test(`gradients at NaN and ±Inf (${backendName})`, () => {
  checkGrad('relu', [NaN_, Inf, -Inf, 1], (x) => nb.relu(x), [0, 1, 0, 1]);
  checkGrad('clip', [NaN_, Inf, -Inf, 0.3], (x) => nb.clip(x, -0.5, 0.5), [0, 0, 0, 1]);
  checkGrad('maximum(x, 1)', [NaN_, 2, 0], (x) => nb.maximum(x, 1), [0, 1, 0]);
  // JAX gives NaN everywhere here (0/0 from counting the maxima); nabla sends the gradient to the NaNs the
  // max came from, as max pooling does, so the NaN stays where it is and the other entries get 0.
  checkGrad('max', [5, NaN_, 0, NaN_], (x) => nb.max(x), [0, 1, 0, 1]);
  // JAX's select-and-scatter routes a NaN window's gradient by its own comparison order (here to the 2);
  // nabla routes it to the window's first NaN, the element the max came from.
  checkGrad('maxPool2d', [[5, NaN_], [0, 2]], (x) => nb.maxPool2d(x, [2, 2]), [[0, 1], [0, 0]]);
  checkGrad('maxPool2d over partial windows', [[1, NaN_, 3], [Inf, 2, NaN_]], (x) => nb.maxPool2d(x, [2, 2], false), [[0, 1, 0], [0, 0, 1]]);
  checkGrad('maxPool2d of +Inf', [[Inf, 5], [Inf, 2]], (x) => nb.maxPool2d(x, [2, 2]), [[1, 0], [0, 0]]);
});

test(`a NaN deep inside long rows, where the native loops take their vector paths (${backendName})`, () => {
  const n = 1037;
  const row = (at: number, special: number) => Array.from({ length: n }, (_, i) => (i === at ? special : Math.sin(i)));
  for (const at of [0, 8, 777, n - 1]) {
    const x = [row(at, NaN_), row((at + 5) % n, Inf)];
    check(`max along rows, NaN at ${at}`, [x], (v) => v.max(1), [NaN_, Inf]);
    check(`min along columns, NaN at ${at}`, [x], (v) => v.min(0).at(at), NaN_);
    check(`argmax along rows, NaN at ${at}`, [x], (v) => v.argmax(1), [at, (at + 5) % n], 'int32');
    check(`relu, maximum and clip, NaN at ${at}`, [x[0]], (v) => nb.stack([nb.relu(v), nb.maximum(v, 0.5), nb.clip(v, -0.1, 0.1)]).at(':', at), [NaN_, NaN_, NaN_]);
    const [r, c] = [Math.floor((at % 204) / 34), (at % 204) % 34];
    const pixel = (i: number, j: number) => (i === r && j === c ? NaN_ : i + j);
    const image = [Array.from({ length: 6 }, (_, i) => Array.from({ length: 34 }, (__, j) => pixel(i, j)))];
    check(`maxPool2d 2×2 of a 6×34 image, NaN at (${r}, ${c})`, [image], (v) => nb.maxPool2d(v, [2, 2]).at(0, Math.floor(r / 2), Math.floor(c / 2)), NaN_);
    check(`maxPool2d 3×3 of a 6×34 image, NaN at (${r}, ${c})`, [image], (v) => nb.maxPool2d(v, [3, 3], false).at(0, Math.floor(r / 3), Math.floor(c / 3)), NaN_);
  }
});
