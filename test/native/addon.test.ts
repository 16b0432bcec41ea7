// The C++ addon against plain float64 loops written from each function's definition: values in
// float64 (tight) and float32 (loose), gradients by central finite differences, Philox by the
// Random123 known-answer vectors. Build first: npx node-gyp rebuild.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { type AnyArray, assertClose, dtypes, native, randomArray } from './helpers.js';
import {
  isArgReduction, reductions, referenceConv, referenceElementwise, referencePool, referenceReduce, scalarMeaning,
} from './reference.js';
import { scalarOps } from '../../src/ops/index.js';
import { encodeProgram, type Instruction, type OpcodeName } from '../../src/backends/native/opcodes.js';
import { GEMM_CLASSES, simdLevel, type GemmKernel } from '../../src/backends/native/addon.js';

// ---- gemm -------------------------------------------------------------------------------------

/** Runs f with every gemm shape class set to `kernel`, then restores the classes' kernels. */
function withGemmKernel(kernel: GemmKernel, f: () => void): void {
  const before = GEMM_CLASSES.map((c) => native.gemmKernel(c));
  GEMM_CLASSES.forEach((c) => native.gemmKernel(c, kernel));
  try {
    f();
  } finally {
    GEMM_CLASSES.forEach((c, i) => native.gemmKernel(c, before[i]));
  }
}

describe('gemm', () => {
  for (const { name, Ctor, rtol, atol } of dtypes) for (const kernel of ['ours', 'blas'] as const) {
    it(`matches a triple loop for every transpose, padded leading dimensions, alpha and beta (${name}, ${kernel})`, () => withGemmKernel(kernel, () => {
      // With our kernels, unless B is transposed: N ≤ 8 and N ≤ 16 with a partial row block take the
      // skinny kernels; N = 21 and 70 the unpacked one (row blocks of 8, 4 and 1, full and partial panels).
      // Transposed, the skinny kernel takes C's rows in chunks of two registers, one, then one at a time
      // (M = 50 and 83: all three) and B's columns in groups of 10, 8 and 4 (N = 13 and 16).
      const shapes = [[7, 5, 9], [37, 13, 50], [50, 10, 40], [83, 16, 11], [9, 21, 6], [13, 70, 33]];
      for (const [M, N, K] of shapes) for (const transA of [false, true]) {
        for (const transB of [false, true]) {
          const lda = (transA ? M : K) + 2, ldb = (transB ? K : N) + 1, ldc = N + 3;
          const A = randomArray(Ctor, (transA ? K : M) * lda, 1);
          const B = randomArray(Ctor, (transB ? N : K) * ldb, 2);
          const C = randomArray(Ctor, M * ldc, 3);
          const expected = Float64Array.from(C);
          for (let i = 0; i < M; i++) {
            for (let j = 0; j < N; j++) {
              let s = 0;
              for (let k = 0; k < K; k++) {
                s += (transA ? A[k * lda + i] : A[i * lda + k]) * (transB ? B[j * ldb + k] : B[k * ldb + j]);
              }
              expected[i * ldc + j] = 1.5 * s - 0.5 * C[i * ldc + j];
            }
          }
          native.gemm(transA, transB, M, N, K, 1.5, A, lda, B, ldb, -0.5, C, ldc);
          assertClose(C, expected, rtol, atol * 10, `gemm ${M}x${N}x${K} transA=${transA} transB=${transB}`);
        }
      }
    }));
  }

  for (const kernel of ['ours', 'blas'] as const) it(`computes a product whose A exceeds 8 MiB (the large class) on ${kernel}`, () => withGemmKernel(kernel, () => {
    const [M, N, K] = [2049, 17, 1025];
    const A = randomArray(Float32Array, M * K, 7), B = randomArray(Float32Array, K * N, 8), C = new Float32Array(M * N);
    native.gemm(false, false, M, N, K, 1, A, K, B, N, 0, C, N);
    for (const i of [0, 1000, M - 1]) {
      for (const j of [0, N - 1]) {
        let s = 0;
        for (let k = 0; k < K; k++) s += A[i * K + k] * B[k * N + j];
        assert.ok(Math.abs(C[i * N + j] - s) <= 1e-4 * Math.abs(s) + 1e-4, `C[${i}, ${j}] = ${C[i * N + j]}, expected ${s}`);
      }
    }
  }));

  it('sets and reports the kernel of each shape class, rejecting unknown names', () => {
    const before = native.gemmKernel('cache');
    assert.equal(native.gemmKernel('cache', 'blas'), 'blas');
    assert.equal(native.gemmKernel('cache'), 'blas');
    assert.equal(native.gemmKernel('cache', before), before);
    assert.throws(() => native.gemmKernel('wide' as never), { name: 'TypeError', message: 'gemmKernel: shapeClass must be narrow, narrowT, cache or large' });
    assert.throws(() => native.gemmKernel('narrow', 'mkl' as never), { name: 'TypeError', message: 'gemmKernel: kernel must be blas or ours' });
  });

  it('ignores what C holds when beta is 0, NaN included, on the skinny, unpacked and BLAS paths', () => {
    for (const [N, transB] of [[3, false], [40, false], [40, true]] as const) {
      const C = new Float32Array(2 * N).fill(NaN);
      native.gemm(
        false, transB, 2, N, 1, 1, Float32Array.of(1, 2), 1, new Float32Array(N).fill(1), transB ? 1 : N, 0, C, N,
      );
      assert.deepEqual(Array.from(C), [...Array(N).fill(1), ...Array(N).fill(2)]);
    }
  });

  it('reads typed arrays in place at their byteOffset', () => {
    const buffer = new Float64Array(10);
    const A = new Float64Array(buffer.buffer, 8, 2); // [a0, a1] as a 1x2 row
    const B = new Float64Array(buffer.buffer, 3 * 8, 2); // a 2x1 column
    const C = new Float64Array(buffer.buffer, 6 * 8, 1);
    A.set([2, 3]);
    B.set([5, 7]);
    native.gemm(false, false, 1, 1, 2, 1, A, 2, B, 1, 0, C, 1);
    assert.equal(buffer[6], 31);
  });

  it('throws TypeErrors naming the argument, RangeErrors for short arrays', () => {
    const a = new Float32Array(4);
    assert.throws(() => native.gemm(false, false, 2, 2, 2, 1, a, 2, a, 2, 0, new Float64Array(4), 2),
      { name: 'TypeError', message: 'gemm: A is a Float32Array but C is a Float64Array' });
    assert.throws(() => native.gemm(false, false, 2, 2, 2, 1, 'a' as never, 2, a, 2, 0, a, 2),
      { name: 'TypeError', message: /^gemm: argument 7 \(A\) must be a Float32Array or Float64Array, got a string$/ });
    assert.throws(() => native.gemm(false, false, 2, 2, 2, 1, new Uint8Array(4) as never, 2, a, 2, 0, a, 2),
      { name: 'TypeError', message: /argument 7 \(A\) .* got a Uint8Array$/ });
    assert.throws(() => native.gemm(false, false, 3, 2, 2, 1, a, 2, a, 2, 0, a, 2),
      { name: 'RangeError', message: 'gemm: A has 4 elements, needs 6' });
    assert.throws(() => (native.gemm as (...args: unknown[]) => void)(false, false, 2),
      { name: 'TypeError', message: 'gemm: expects 13 arguments, got 3' });
  });
});

// ---- elementwise ------------------------------------------------------------------------------

/** A program by opcode names, numbered by the addon's own table. */
const encode = (program: readonly Instruction[]) => encodeProgram(program, native.opcodes);

function runElementwise(program: readonly Instruction[] | Int32Array, consts: number[], inputs: AnyArray[],
  strides: number[], offsets: number[], shape: number[], out: AnyArray): void {
  native.elementwise(program instanceof Int32Array ? program : encode(program), Float64Array.from(consts), inputs,
    Int32Array.from(strides), Int32Array.from(offsets), Int32Array.from(shape), out);
}

const specials = [0, -0, 1, -1, 0.5, -2.5, 3, 1e-8, 37, -37, 100, -100, 710, -750, Infinity, -Infinity, NaN];

describe('elementwise', () => {
  for (const { name, Ctor } of dtypes) {
    const [rtol, atol] = name === 'float64' ? [1e-14, 1e-300] : [3e-6, 1e-30];
    const values = Ctor.from([...specials, ...randomArray(Float64Array, 40, 5, -6, 6)]);

    // Every opcode the addon has, against the reference backend's scalar function of the op of that name.
    const arity = (op: OpcodeName) => (op in scalarOps ? scalarOps[op as keyof typeof scalarOps].inputs.length : 1);
    const operations = Object.keys(native.opcodes).filter((op) => op !== 'input' && op !== 'const') as OpcodeName[];
    it(`computes every opcode like the reference backend (${name})`, () => {
      const a = Ctor.from([...values].reverse()), b = values;
      const c = Ctor.from(Array.from(values, (v) => v + 1));
      for (const op of operations) {
        const f = scalarMeaning(op);
        const n = arity(op);
        // clip's low bound stays at or below its high bound (c = b + 1).
        const inputs = [a, op === 'clip' ? Ctor.from(Array.from(b, (x) => Math.min(x, 0))) : b, c].slice(0, n);
        const loads = inputs.map((_, i): Instruction => ['input', i, i, 0, 0]);
        const out = new Ctor(values.length);
        runElementwise(
          [...loads, [op, n, 0, 1, 2]], [], inputs, inputs.map(() => 1), inputs.map(() => 0), [values.length], out,
        );
        // The scalar function in float64, then rounded like the output, is the reference.
        assertClose(out, Ctor.from(Array.from(a, (_, i) => f(...inputs.map((x) => x[i])))), rtol, atol, op);
      }
    });

    it(`has an opcode for every element-wise op (${name})`, () => {
      assert.deepEqual(Object.keys(scalarOps).filter((op) => !(op in native.opcodes)), []);
    });
  }

  it('keeps sigmoid and softplus finite and accurate at large |x|', () => {
    const x = Float64Array.from([-800, -40, 40, 800]);
    const out = new Float64Array(4);
    runElementwise([['input', 0, 0, 0, 0], ['sigmoid', 1, 0, 0, 0]], [], [x], [1], [0], [4], out);
    assertClose(out, [0, Math.exp(-40), 1, 1], 1e-14, 0, 'sigmoid');
    runElementwise([['input', 0, 0, 0, 0], ['softplus', 1, 0, 0, 0]], [], [x], [1], [0], [4], out);
    assertClose(out, [0, Math.exp(-40), 40, 800], 1e-14, 0, 'softplus');
  });

  // (a * b + c) - 0.5 with broadcasting: every layout family the kernel has a path for.
  const program: Instruction[] = [['input', 0, 0, 0, 0], ['input', 1, 1, 0, 0], ['mul', 2, 0, 1, 0], ['input', 3, 2, 0, 0],
    ['add', 4, 2, 3, 0], ['const', 5, 0, 0, 0], ['sub', 6, 4, 5, 0]];
  const cases: { what: string; shape: number[]; strides: number[][]; offsets: number[]; sizes: number[] }[] = [
    { what: 'same-shape contiguous, parallel', shape: [300, 200], strides: [[200, 1], [200, 1], [200, 1]],
      offsets: [0, 0, 0], sizes: [60000, 60000, 60000] },
    { what: 'bias along rows, scalar, offsets', shape: [90, 400], strides: [[400, 1], [0, 1], [0, 0]],
      offsets: [3, 0, 7], sizes: [36003, 400, 8] },
    { what: 'per-row broadcast (stride 0 innermost)', shape: [64, 700], strides: [[700, 1], [1, 0], [0, 1]],
      offsets: [0, 0, 0], sizes: [44800, 64, 700] },
    { what: 'short rows gathered across blocks', shape: [5000, 3], strides: [[3, 1], [0, 1], [1, 0]],
      offsets: [0, 0, 0], sizes: [15000, 3, 5000] },
    { what: 'transposed and negative strides, rank 3', shape: [7, 6, 130], strides: [[1, 7, 42], [780, 130, 1],
      [0, -130, 1]], offsets: [0, 0, 650], sizes: [5460, 5460, 780] },
    { what: 'rank 0', shape: [], strides: [[], [], []], offsets: [0, 0, 0], sizes: [1, 1, 1] },
    { what: 'extent-1 dimensions', shape: [1, 50, 1, 3], strides: [[0, 3, 0, 1], [5, 0, 9, 1], [0, 1, 0, 0]],
      offsets: [0, 0, 0], sizes: [150, 3, 50] },
  ];
  for (const { name, Ctor } of dtypes) {
    for (const { what, shape, strides, offsets, sizes } of cases) {
      it(`broadcasts: ${what} (${name})`, () => {
        const inputs = sizes.map((s, i) => randomArray(Ctor, s, 10 + i));
        const flat = strides.flat();
        const expected = referenceElementwise(program, [0.5], inputs, flat, offsets, shape);
        const out = new Ctor(expected.length);
        runElementwise(program, [0.5], inputs, flat, offsets, shape, out);
        assertClose(out, Ctor.from(expected), name === 'float64' ? 1e-14 : 1e-6, 1e-6, what);
      });
    }
  }

  it('converts mixed input types on load and truncates into Int32Array like a typed-array store', () => {
    const ints = Int32Array.from([3, -3, 7, 2 ** 31 - 1]);
    const halves = Float32Array.from([0.75, -0.75, 0.25, 1]);
    const out = new Int32Array(4);
    runElementwise([['input', 0, 0, 0, 0], ['input', 1, 1, 0, 0], ['add', 2, 0, 1, 0]], [], [ints, halves], [1, 1], [0, 0], [4], out);
    assert.deepEqual([...out], [3, -3, 7, -(2 ** 31)]); // 2^31 wraps, as Int32Array stores do
    const f32 = new Float32Array(4);
    runElementwise([['input', 0, 0, 0, 0], ['input', 1, 1, 0, 0], ['div', 2, 0, 1, 0]], [], [ints, halves], [1, 1], [0, 0], [4], f32);
    assertClose(f32, Float32Array.from([4, 4, 28, 2 ** 31 - 1]), 1e-7, 0, 'int32 / float32 into float32');
  });

  it('reuses registers and stores a bare input, converting its type', () => {
    const x = randomArray(Float64Array, 1000, 22);
    const out = new Float32Array(1000);
    // r0 = x; r0 = r0 * r0; r1 = 2; r0 = r0 + r1; r0 = r0 * r0
    runElementwise([['input', 0, 0, 0, 0], ['mul', 0, 0, 0, 0], ['const', 1, 0, 0, 0], ['add', 0, 0, 1, 0], ['mul', 0, 0, 0, 0]],
      [2], [x], [1], [0], [1000], out);
    assertClose(out, Float32Array.from(x, (v) => (v * v + 2) ** 2), 1e-6, 0, 'reused registers');
    runElementwise([['input', 3, 0, 0, 0]], [], [x], [1], [0], [1000], out);
    assertClose(out, Float32Array.from(x), 0, 0, 'bare input');
  });

  it('allows out to be an input (in place)', () => {
    const x = randomArray(Float32Array, 70000, 21);
    const expected = Float32Array.from(x, (v) => Math.fround(v * v));
    runElementwise([['input', 0, 0, 0, 0], ['square', 0, 0, 0, 0]], [], [x], [1], [0], [x.length], x);
    assertClose(x, expected, 0, 0, 'square in place');
  });

  it('rejects malformed programs and out-of-bounds strides with the reason', () => {
    const x = new Float64Array(4), out = new Float64Array(4);
    const unknown = Object.keys(native.opcodes).length;
    const load = encode([['input', 0, 0, 0, 0]]);
    assert.throws(() => runElementwise(Int32Array.from([...load, unknown, 1, 0, 0, 0]), [], [x], [1], [0], [4], out),
      { name: 'RangeError', message: `elementwise: instruction 1 (opcode ${unknown}) is not a known opcode` });
    assert.throws(() => runElementwise([['add', 1, 0, 2, 0]], [], [x], [1], [0], [4], out),
      { message: `elementwise: instruction 0 (opcode ${native.opcodes.add}) reads register 0 before it is written` });
    assert.throws(() => runElementwise([['input', 0, 1, 0, 0]], [], [x], [1], [0], [4], out),
      { message: `elementwise: instruction 0 (opcode ${native.opcodes.input}) reads input 1 of 1` });
    assert.throws(() => runElementwise(load, [], [x], [2], [0], [4], out),
      { name: 'RangeError', message: 'elementwise: input 0 is read at elements 0 to 6 but has 4' });
    assert.throws(() => runElementwise(load, [], [[1, 2] as never], [1], [0], [2], out),
      { name: 'TypeError', message: /argument 3 \(inputs\) must be .*, got an array$/ });
  });
});

// ---- reduce -----------------------------------------------------------------------------------

describe('reduce', () => {
  const layouts = [[40, 300, 1], [1, 300, 70], [6, 50, 9], [1, 5000, 1], [3000, 7, 1]];
  for (const { name, Ctor, rtol } of dtypes) {
    for (const [outer, n, inner] of layouts) {
      it(`sum, prod, max, min, argmax, argmin over [${outer}, ${n}, ${inner}] (${name})`, () => {
        const x = randomArray(Ctor, outer * n * inner, outer + n + inner, 0.5, 1.5);
        x[inner] = x[3 * inner] = 2.5; // ties in column 0: the first occurrence (row 1, row 2) wins
        x[2 * inner] = x[4 * inner] = 0.1;
        for (const op of reductions) {
          const out = isArgReduction(op) ? new Int32Array(outer * inner) : new Ctor(outer * inner);
          native.reduce(op, x, outer, n, inner, out);
          const expected = referenceReduce(op, x, outer, n, inner);
          // Products of thousands of factors drift, but float32 sums come from a double accumulator.
          assertClose(out, isArgReduction(op) ? expected : Ctor.from(expected), op === 'prod' ? rtol * n : rtol, 0, op);
        }
      });
    }
  }

  it('sums a million float32 values as accurately as float64 (double accumulator)', () => {
    const n = 1 << 20;
    const x = randomArray(Float32Array, n, 31, 0, 1);
    const rowSum = new Float32Array(1), columnSums = new Float32Array(4);
    native.reduce('sum', x, 1, n, 1, rowSum);
    native.reduce('sum', x, 1, n / 4, 4, columnSums);
    const exact = [0, 0, 0, 0];
    x.forEach((v, i) => { exact[i % 4] += v; });
    // Half an ulp of float32 (6e-8); a float32 accumulator would be off by about 1e-4 here.
    assertClose(rowSum, [exact.reduce((a, b) => a + b, 0)], 6e-8, 0, 'row sum');
    assertClose(columnSums, exact, 6e-8, 0, 'column sums');
  });

  it('propagates NaN through max and min and points arg ops at the first NaN', () => {
    const x = Float64Array.from([1, NaN, 3, 0, NaN, 2]);
    for (const [op, want] of [['max', NaN], ['min', NaN], ['argmax', 1], ['argmin', 1]] as const) {
      const out = isArgReduction(op) ? new Int32Array(1) : new Float64Array(1);
      native.reduce(op, x, 1, 6, 1, out);
      assert.ok(Object.is(out[0], want), `op ${op}: ${out[0]}`);
    }
  });

  it('reduces Int32Array input and rejects a float out for argmax', () => {
    const x = Int32Array.from([4, -2, 9, 9, 1, 0]);
    const out = new Int32Array(2);
    native.reduce('sum', x, 2, 3, 1, out);
    assert.deepEqual([...out], [11, 10]);
    assert.throws(() => native.reduce('argmax', x, 2, 3, 1, new Float64Array(2)),
      { name: 'TypeError', message: 'reduce: argument 6 (out) must be an Int32Array, got a Float64Array' });
    assert.throws(() => native.reduce('mean', x, 2, 3, 1, out),
      { name: 'RangeError', message: "reduce: op 'mean' is not sum, prod, max, min, argmax or argmin" });
  });
});

describe('elementwiseSum', () => {
  it('adds up the program over a broadcast loop in double, and gives 0 for an empty loop', () => {
    const square = encode([['input', 0, 0, 0, 0], ['mul', 1, 0, 0, 0]]);
    const x = Float32Array.from({ length: 6 }, (_, i) => i + 0.5);
    const out = new Float32Array(1);
    // x as a [2, 3] loop read twice along a broadcast axis: [3, 2, 3] with stride 0 on the first.
    native.elementwiseSum(
      square, new Float64Array(0), [x], Int32Array.of(0, 3, 1), Int32Array.of(0), Int32Array.of(3, 2, 3), out,
    );
    assert.equal(out[0], 3 * x.reduce((s, v) => s + v * v, 0));
    native.elementwiseSum(square, new Float64Array(0), [x], Int32Array.of(1), Int32Array.of(0), Int32Array.of(0), out);
    assert.equal(out[0], 0);
  });
});

// ---- softmax ----------------------------------------------------------------------------------

describe('softmax and logSoftmax', () => {
  // Long rows; many short rows (blocks of rows, on several threads); one-element rows.
  const shapes = [[200, 257], [5000, 10], [3, 1]];
  for (const { name, Ctor } of dtypes) {
    for (const [rows, cols] of shapes) {
      it(`match the definition row by row, stable at large logits, [${rows}, ${cols}] (${name})`, () => {
        const x = randomArray(Ctor, rows * cols, 41 + cols, -5, 5);
        x[0] = 1000; // exp(1000) overflows without the max shift
        x[cols] = -1000;
        const expectedSoft: number[] = [], expectedLog: number[] = [];
        for (let r = 0; r < rows; r++) {
          const row = Array.from(x.subarray(r * cols, (r + 1) * cols));
          const m = Math.max(...row);
          const logSum = Math.log(row.reduce((s, v) => s + Math.exp(v - m), 0));
          for (const v of row) {
            expectedSoft.push(Math.exp(v - m - logSum));
            expectedLog.push(v - m - logSum);
          }
        }
        const [rtol, atol] = name === 'float64' ? [1e-13, 1e-300] : [1e-5, 1e-30];
        const soft = new Ctor(rows * cols), log = new Ctor(rows * cols);
        native.softmax(x, rows, cols, soft);
        native.logSoftmax(x, rows, cols, log);
        assertClose(soft, expectedSoft, rtol, atol, 'softmax');
        assertClose(log, expectedLog, rtol, 1e-5, 'logSoftmax');
        native.logSoftmax(x, rows, cols, x); // in place
        assertClose(x, log, 0, 0, 'logSoftmax in place');
      });
    }
  }
});

describe('softmaxCrossentropy and its gradient', () => {
  for (const { name, Ctor } of dtypes) {
    for (const [rows, cols] of [[7, 10], [5000, 10]]) {
      it(`match log-sum-exp minus the label's logit and g·(softmax - onehot), [${rows}, ${cols}] (${name})`, () => {
        const z = randomArray(Ctor, rows * cols, 61, -5, 5);
        z[0] = 1000;
        const y = Int32Array.from({ length: rows }, (_, i) => (i * 7) % cols);
        const g = randomArray(Ctor, rows, 62);
        const expectedLoss: number[] = [], expectedGrad: number[] = [];
        for (let r = 0; r < rows; r++) {
          const row = Array.from(z.subarray(r * cols, (r + 1) * cols));
          const m = Math.max(...row);
          const logSum = Math.log(row.reduce((s, v) => s + Math.exp(v - m), 0)) + m;
          expectedLoss.push(logSum - row[y[r]]);
          row.forEach((v, j) => expectedGrad.push(g[r] * (Math.exp(v - logSum) - (j === y[r] ? 1 : 0))));
        }
        const [rtol, atol] = name === 'float64' ? [1e-12, 1e-14] : [1e-5, 1e-6];
        const loss = new Ctor(rows), dz = new Ctor(rows * cols);
        native.softmaxCrossentropy(z, y, rows, cols, loss);
        native.softmaxCrossentropyGrad(g, z, y, rows, cols, dz);
        assertClose(loss, expectedLoss, rtol, atol, 'loss');
        assertClose(dz, expectedGrad, rtol, atol, 'gradient');
      });
    }
  }

  it('rejects a label outside the columns with a RangeError naming the row', () => {
    const z = new Float32Array(6);
    assert.throws(() => native.softmaxCrossentropy(z, Int32Array.of(0, 3), 2, 3, new Float32Array(2)),
      { name: 'RangeError', message: 'softmaxCrossentropy: label 3 of row 1 is outside [0, 3)' });
    assert.throws(
      () => native.softmaxCrossentropyGrad(new Float32Array(2), z, Int32Array.of(-1, 0), 2, 3, new Float32Array(6)),
      { name: 'RangeError', message: 'softmaxCrossentropyGrad: label -1 of row 0 is outside [0, 3)' });
  });
});

// ---- conv2d -----------------------------------------------------------------------------------

describe('conv2d', () => {
  const B = 3, C = 2, H = 7, W = 6, K = 4, kh = 3, kw = 2;
  for (const { name, Ctor } of dtypes) {
    for (const mode of [0, 1]) {
      it(`${mode ? 'full' : 'valid'} mode matches the direct sum (${name})`, () => {
        const x = randomArray(Ctor, B * C * H * W, 51), w = randomArray(Ctor, K * C * kh * kw, 52);
        const { out: expected, oh, ow } = referenceConv(x, [B, C, H, W], w, [K, kh, kw], mode);
        const out = new Ctor(B * K * oh * ow);
        native.conv2d(x, B, C, H, W, w, K, kh, kw, mode, out);
        assertClose(out, expected, name === 'float64' ? 1e-13 : 1e-5, 1e-5, 'conv2d');
      });
    }
  }

  it('agrees with scipy.signal.convolve2d on a known case (the kernel is flipped)', () => {
    // convolve2d([[1,2,3],[4,5,6],[7,8,9]], [[1,0],[0,-1]], 'valid') = [[4,4],[4,4]]; full adds the border.
    const x = Float64Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9]), w = Float64Array.from([1, 0, 0, -1]);
    const valid = new Float64Array(4), full = new Float64Array(16);
    native.conv2d(x, 1, 1, 3, 3, w, 1, 2, 2, 0, valid);
    native.conv2d(x, 1, 1, 3, 3, w, 1, 2, 2, 1, full);
    assert.deepEqual([...valid], [4, 4, 4, 4]);
    assert.deepEqual([...full], [1, 2, 3, 0, 4, 4, 4, -3, 7, 4, 4, -6, 0, -7, -8, -9]);
  });

  // L(x, w) = Σ gy · conv2d(x, w): linear in each argument, so central differences are exact up to rounding.
  const numericGrad = (v: Float64Array, loss: (v: Float64Array) => number) => Float64Array.from(v, (_, i) => {
    const plus = Float64Array.from(v), minus = Float64Array.from(v);
    plus[i] += 1e-4;
    minus[i] -= 1e-4;
    return (loss(plus) - loss(minus)) / 2e-4;
  });
  for (const mode of [0, 1]) {
    it(`weight and input gradients match finite differences (${mode ? 'full' : 'valid'})`, () => {
      const x = randomArray(Float64Array, B * C * H * W, 61), w = randomArray(Float64Array, K * C * kh * kw, 62);
      const { oh, ow } = referenceConv(x, [B, C, H, W], w, [K, kh, kw], mode);
      const gy = randomArray(Float64Array, B * K * oh * ow, 63);
      const loss = (xv: Float64Array, wv: Float64Array) => {
        const out = new Float64Array(gy.length);
        native.conv2d(xv, B, C, H, W, wv, K, kh, kw, mode, out);
        return out.reduce((s, v, i) => s + v * gy[i], 0);
      };
      const gw = new Float64Array(w.length), gx = new Float64Array(x.length).fill(7); // gx is overwritten
      native.conv2dWeightGrad(x, B, C, H, W, gy, K, oh, ow, kh, kw, mode, gw);
      native.conv2dInputGrad(gy, B, C, H, W, w, K, oh, ow, kh, kw, mode, gx);
      assertClose(gw, numericGrad(w, (wv) => loss(x, wv)), 1e-8, 1e-8, 'conv2dWeightGrad');
      assertClose(gx, numericGrad(x, (xv) => loss(xv, w)), 1e-8, 1e-8, 'conv2dInputGrad');

      const [x32, w32, gy32] = [x, w, gy].map((a) => Float32Array.from(a));
      const gw32 = new Float32Array(w.length), gx32 = new Float32Array(x.length);
      native.conv2dWeightGrad(x32, B, C, H, W, gy32, K, oh, ow, kh, kw, mode, gw32);
      native.conv2dInputGrad(gy32, B, C, H, W, w32, K, oh, ow, kh, kw, mode, gx32);
      assertClose(gw32, gw, 1e-4, 1e-4, 'conv2dWeightGrad float32');
      assertClose(gx32, gx, 1e-4, 1e-4, 'conv2dInputGrad float32');

      // Theano's identity: the input gradient is conv2d of gy with w transposed to [C, K] and rotated 180°,
      // in the other mode.
      const wt = new Float64Array(w.length);
      for (let k = 0; k < K; k++) for (let c = 0; c < C; c++) {
        for (let u = 0; u < kh; u++) for (let v = 0; v < kw; v++) {
          wt[((c * K + k) * kh + (kh - 1 - u)) * kw + (kw - 1 - v)] = w[((k * C + c) * kh + u) * kw + v];
        }
      }
      const viaConv = new Float64Array(x.length);
      native.conv2d(gy, B, K, oh, ow, wt, C, kh, kw, 1 - mode, viaConv);
      assertClose(viaConv, gx, 1e-12, 1e-12, 'conv2d of gy with the rotated, transposed kernel');
    });
  }

  it('splits a larger batch into chunks on several threads, with a remainder chunk', () => {
    const b = 61, c = 3, h = 30, wd = 30, k = 5, oh = 26;
    const x = randomArray(Float64Array, b * c * h * wd, 71), w = randomArray(Float64Array, k * c * 25, 72);
    const out = new Float64Array(b * k * oh * oh);
    native.conv2d(x, b, c, h, wd, w, k, 5, 5, 0, out);
    const { out: expected } = referenceConv(x, [b, c, h, wd], w, [k, 5, 5], 0);
    assertClose(out, expected, 1e-12, 1e-12, 'conv2d');
    // Chunked gradients against the same computation one image at a time.
    const gy = randomArray(Float64Array, out.length, 73);
    const gw = new Float64Array(w.length), gx = new Float64Array(x.length);
    native.conv2dWeightGrad(x, b, c, h, wd, gy, k, oh, oh, 5, 5, 0, gw);
    native.conv2dInputGrad(gy, b, c, h, wd, w, k, oh, oh, 5, 5, 0, gx);
    const gwSum = new Float64Array(w.length), gxOne = new Float64Array(c * h * wd), gwOne = new Float64Array(w.length);
    for (let i = 0; i < b; i++) {
      const xi = x.subarray(i * c * h * wd, (i + 1) * c * h * wd);
      const gyi = gy.subarray(i * k * oh * oh, (i + 1) * k * oh * oh);
      native.conv2dWeightGrad(xi, 1, c, h, wd, gyi, k, oh, oh, 5, 5, 0, gwOne);
      gwOne.forEach((v, j) => { gwSum[j] += v; });
      native.conv2dInputGrad(gyi, 1, c, h, wd, w, k, oh, oh, 5, 5, 0, gxOne);
      assertClose(gx.subarray(i * c * h * wd, (i + 1) * c * h * wd), gxOne, 1e-12, 1e-12, `input gradient of image ${i}`);
    }
    assertClose(gw, gwSum, 1e-11, 1e-11, 'weight gradient');
    const again = new Float64Array(w.length);
    native.conv2dWeightGrad(x, b, c, h, wd, gy, k, oh, oh, 5, 5, 0, again);
    assert.deepEqual(again, gw, 'the threads\' partial sums are added in a fixed order');
  });

  it('rejects a kernel larger than a valid-mode input', () => {
    assert.throws(
      () => native.conv2d(new Float64Array(4), 1, 1, 2, 2, new Float64Array(9), 1, 3, 3, 0, new Float64Array(1)),
      { name: 'RangeError', message: 'conv2d: no output for C 1, K 1, input 2x2, kernel 3x3' });
  });
});

// ---- max pooling ------------------------------------------------------------------------------

describe('maxPool2d', () => {
  // 2×3 windows over a 7×8 image run the general loops; 2×2 over 6×8 the direct path.
  for (const [B, C, H, W, ph, pw] of [[2, 3, 7, 8, 2, 3], [2, 3, 6, 8, 2, 2]]) {
    for (const ignoreBorder of [true, false]) {
      it(`pools and routes gradients like finite differences (${ph}x${pw} windows, ignoreBorder ${ignoreBorder})`, () => {
        const x = randomArray(Float64Array, B * C * H * W, 81);
        const { out: expected, oh, ow } = referencePool(x, [B, C, H, W], ph, pw, ignoreBorder);
        const y = new Float64Array(expected.length);
        native.maxPool2d(x, B, C, H, W, ph, pw, ignoreBorder, y);
        assertClose(y, expected, 0, 0, 'maxPool2d');
        const y32 = new Float32Array(expected.length);
        native.maxPool2d(Float32Array.from(x), B, C, H, W, ph, pw, ignoreBorder, y32);
        assertClose(y32, Float32Array.from(expected), 0, 0, 'maxPool2d float32');

        const gy = randomArray(Float64Array, B * C * oh * ow, 82);
        const gx = new Float64Array(x.length).fill(7); // must be overwritten, zeros included
        native.maxPool2dGrad(x, y, gy, B, C, H, W, ph, pw, ignoreBorder, gx);
        const loss = (xv: Float64Array) => referencePool(xv, [B, C, H, W], ph, pw, ignoreBorder).out
          .reduce((s, v, i) => s + v * gy[i], 0);
        const numeric = Float64Array.from(x, (_, i) => {
          const plus = Float64Array.from(x), minus = Float64Array.from(x);
          plus[i] += 1e-7;
          minus[i] -= 1e-7;
          return (loss(plus) - loss(minus)) / 2e-7;
        });
        assertClose(gx, numeric, 1e-6, 1e-8, 'maxPool2dGrad');
      });
    }
  }

  it('sends a tied window gradient to the first maximum in row-major order, NaN being the maximum where present', () => {
    for (const [values, routed] of [[[1, 5, 5, 5], [0, 3, 0, 0]], [[1, 2, NaN, NaN], [0, 0, 3, 0]]]) {
      const x = Float64Array.from(values), y = new Float64Array(1), gx = new Float64Array(4);
      native.maxPool2d(x, 1, 1, 2, 2, 2, 2, true, y);
      native.maxPool2dGrad(x, y, Float64Array.from([3]), 1, 1, 2, 2, 2, 2, true, gx);
      assert.deepEqual([...gx], routed);
    }
  });
});

// ---- philox -----------------------------------------------------------------------------------

describe('philox', () => {
  it('reproduces the Random123 known-answer vectors for philox4x32_10', () => {
    const hex = (words: number[]) => words.map((w) => w.toString(16).padStart(8, '0')).join(' ');
    assert.equal(hex(native.philoxBlock(0, 0, 0, 0, 0, 0)), '6627e8d5 e169c58d bc57ac4c 9b00dbd8');
    const ones = 0xffffffff;
    assert.equal(hex(native.philoxBlock(ones, ones, ones, ones, ones, ones)), '408f276d 41c83b0e a20bc7c6 6d5451fd');
    assert.equal(hex(native.philoxBlock(0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344, 0xa4093822, 0x299f31d0)),
      'd16cfe09 94fdcceb 5001e420 24126ea1');
  });

  it('maps block words to uniforms by counter, stream and seed, the same in parallel', () => {
    const seed = 1234567, stream = 89, counter = 4000000000;
    const n = 70001; // above the parallel threshold, not a multiple of 4
    const u64 = new Float64Array(n), u32 = new Float32Array(n);
    native.philoxUniform(seed, stream, counter, u64);
    native.philoxUniform(seed, stream, counter, u32);
    for (const i of [0, 1, 2, 3, 4, 9999, 40003, n - 1]) {
      const word = native.philoxBlock(Math.floor(i / 4), 0, counter, 0, seed, stream)[i % 4];
      const value = ((word >>> 9) + 0.5) * 2 ** -23;
      assert.equal(u64[i], value, `float64 element ${i}`);
      assert.equal(u32[i], value, `float32 element ${i} (exact: 24 significant bits)`);
    }
    // float32 draws take the AVX-512 path where the CPU has it, float64 ones never: every element agrees.
    assert.ok(u32.every((v, i) => v === u64[i]), 'float32 and float64 draws agree everywhere');
    for (const size of [1, 3, 4, 5, 63, 64, 65, 67, 129]) {
      const [small, expected] = [new Float32Array(size), new Float64Array(size)];
      native.philoxUniform(seed, stream, counter, small);
      native.philoxUniform(seed, stream, counter, expected);
      assert.deepEqual(Array.from(small), Array.from(expected), `${size} draws`);
    }
    const mean = u64.reduce((a, b) => a + b, 0) / n;
    assert.ok(Math.abs(mean - 0.5) < 0.01, `mean ${mean}`);
    assert.ok(u64.every((v) => v > 0 && v < 1));
  });
});

describe('threads and info', () => {
  it('reports and sets the thread count, and names the BLAS kernels', () => {
    const initial = native.threads();
    assert.ok(initial >= 1);
    assert.equal(native.threads(1), 1);
    assert.equal(native.threads(initial), initial);
    assert.throws(() => native.threads(0), { name: 'RangeError', message: 'threads: n must be at least 1' });
    const info = native.info();
    assert.equal(info.threads, initial);
    assert.match(info.blasCore, /^\w+$/);
    // The copy loaded is the widest the CPU has, or the one NABLA_SIMD caps it at.
    assert.equal(info.simd, simdLevel(info.supportedSimd));
    if (info.supportedSimd === 'avx512') assert.ok(info.cpuFeatures.includes('avx512f'), info.cpuFeatures.join(' '));
    if (info.supportedSimd !== 'baseline') assert.ok(info.cpuFeatures.includes('avx2'), info.cpuFeatures.join(' '));
    assert.ok(info.cpuModel.length > 0);
  });
});
