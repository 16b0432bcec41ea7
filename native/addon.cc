// N-API glue: unpacks and checks arguments, picks the float32 or float64 kernel from the output's
// element type, and calls into native/kernels/. No numerics live here. This file holds the general
// entry points (gemm, eigh, element-wise loops, reductions, random numbers, threads); addon-network.cc the
// neural-network ones (softmax, cross-entropy, convolution, pooling).
#include <malloc.h>
#include <napi.h>

#include <algorithm>
#include <cstdlib>

#include "addon-network.h"
#include "args.h"
#include "cpu.h"
#include "kernels/elementwise/elementwise.h"
#include "kernels/elementwise/instruction-set.h"
#include "kernels/linalg/eigh.h"
#include "kernels/linalg/gemm.h"
#include "kernels/parallel.h"
#include "kernels/random/philox.h"
#include "kernels/reduce/reduce.h"

namespace nabla {
namespace {

// Elements a row-major rows×cols matrix with leading dimension ld spans.
double matrixExtent(double rows, double cols, double ld) {
  return rows == 0 || cols == 0 ? 0 : (rows - 1) * ld + cols;
}

// gemm(transA, transB, M, N, K, alpha, A, lda, B, ldb, beta, C, ldc)
Napi::Value Gemm(const Napi::CallbackInfo& info) {
  Args args(info, "gemm", 13);
  const bool transA = args.boolean(0, "transA"), transB = args.boolean(1, "transB");
  const int64_t M = args.count(2, "M"), N = args.count(3, "N"), K = args.count(4, "K");
  const double alpha = args.number(5, "alpha"), beta = args.number(10, "beta");
  const ArrayArg A = args.floatArray(6, "A"), B = args.floatArray(8, "B");
  const ArrayArg C = args.floatArray(11, "C");
  const int64_t lda = args.count(7, "lda"), ldb = args.count(9, "ldb"), ldc = args.count(12, "ldc");
  args.sameType(A, "A", C, "C");
  args.sameType(B, "B", C, "C");
  const int64_t colsA = transA ? M : K, colsB = transB ? K : N;
  if (lda < std::max<int64_t>(1, colsA) || ldb < std::max<int64_t>(1, colsB) ||
      ldc < std::max<int64_t>(1, N)) {
    args.fail("a leading dimension is smaller than its row (lda " + std::to_string(lda) +
                  ", ldb " + std::to_string(ldb) + ", ldc " + std::to_string(ldc) + ")",
              true);
  }
  args.needs(A, "A", matrixExtent(transA ? K : M, colsA, lda));
  args.needs(B, "B", matrixExtent(transB ? N : K, colsB, ldb));
  args.needs(C, "C", matrixExtent(M, N, ldc));
  if (M == 0 || N == 0) return info.Env().Undefined();
  withFloat(C.dtype, [&](auto zero) {
    using T = decltype(zero);
    gemm<T>(transA, transB, M, N, K, static_cast<T>(alpha), A.as<T>(), lda, B.as<T>(), ldb,
            static_cast<T>(beta), C.as<T>(), ldc);
  });
  return info.Env().Undefined();
}

// eigh(a, n, w, v): eigenvalues ascending into w, unit eigenvectors as the columns of v, of the
// symmetric n×n matrix a (LAPACK ?syevd); an error when LAPACK reports no convergence.
Napi::Value Eigh(const Napi::CallbackInfo& info) {
  Args args(info, "eigh", 4);
  const ArrayArg a = args.floatArray(0, "a"), w = args.floatArray(2, "w"), v = args.floatArray(3, "v");
  const int64_t n = args.count(1, "n", 46340.0);
  args.sameType(a, "a", v, "v");
  args.sameType(w, "w", v, "v");
  args.needs(a, "a", static_cast<double>(n) * n);
  args.needs(w, "w", static_cast<double>(n));
  args.needs(v, "v", static_cast<double>(n) * n);
  int status = 0;
  withFloat(v.dtype, [&](auto zero) {
    using T = decltype(zero);
    status = eigh<T>(static_cast<int>(n), a.as<T>(), w.as<T>(), v.as<T>());
  });
  if (status != 0) {
    args.fail("LAPACK ?syevd did not converge (info " + std::to_string(status) + ")", true);
  }
  return info.Env().Undefined();
}

// Checks that every element input i reads lies inside it: strides may be negative or zero.
void checkReach(const Args& args, const ArrayArg& input, size_t i, const int32_t* strides,
                int64_t offset, const int32_t* shape, int rank) {
  int64_t low = offset, high = offset;
  for (int d = 0; d < rank; ++d) {
    const int64_t span = static_cast<int64_t>(shape[d] - 1) * strides[d];
    (span < 0 ? low : high) += span;
  }
  if (low < 0 || high >= input.length) {
    args.fail("input " + std::to_string(i) + " is read at elements " + std::to_string(low) +
                  " to " + std::to_string(high) + " but has " + std::to_string(input.length),
              true);
  }
}

// elementwise(program, consts, inputs, strides, offsets, outShape, out), and elementwiseSum with the
// same arguments, writing the sum of those results to out[0]
template <bool kSum>
Napi::Value Elementwise(const Napi::CallbackInfo& info) {
  Args args(info, kSum ? "elementwiseSum" : "elementwise", 7);
  const ArrayArg program = args.typed(0, "program", DType::I32);
  const ArrayArg consts = args.typed(1, "consts", DType::F64);
  const std::vector<ArrayArg> inputs = args.arrayList(2, "inputs");
  const ArrayArg strides = args.typed(3, "strides", DType::I32);
  const ArrayArg offsets = args.typed(4, "offsets", DType::I32);
  const ArrayArg shape = args.typed(5, "outShape", DType::I32);
  const ArrayArg out = args.array(6, "out");
  const int rank = static_cast<int>(shape.length);
  const int inputCount = static_cast<int>(inputs.size());
  if (program.length % kInstructionWidth != 0) {
    args.fail("program length " + std::to_string(program.length) + " is not a multiple of 5",
              true);
  }
  if (rank > kMaxRank) {
    args.fail("outShape has rank " + std::to_string(rank) + ", at most " +
                  std::to_string(kMaxRank),
              true);
  }
  const int instructions = static_cast<int>(program.length / kInstructionWidth);
  const std::string problem = checkProgram(program.as<int32_t>(), instructions, inputCount,
                                           static_cast<int>(consts.length));
  if (!problem.empty()) args.fail(problem, true);
  args.needs(strides, "strides", static_cast<int64_t>(inputCount) * rank);
  args.needs(offsets, "offsets", inputCount);
  double size = 1;
  for (int d = 0; d < rank; ++d) {
    if (shape.as<int32_t>()[d] < 0) args.fail("outShape has a negative extent", true);
    size *= shape.as<int32_t>()[d];
  }
  args.needs(out, "out", kSum ? 1 : size);
  std::vector<ElementwiseInput> sources;
  for (int i = 0; i < inputCount; ++i) {
    if (size > 0) {
      checkReach(args, inputs[i], i, strides.as<int32_t>() + i * rank, offsets.as<int32_t>()[i],
                 shape.as<int32_t>(), rank);
    }
    sources.push_back({inputs[i].data, inputs[i].dtype});
  }
  const ElementwiseCall call{program.as<int32_t>(), instructions, consts.as<double>(), sources.data(),
                            inputCount, strides.as<int32_t>(), offsets.as<int32_t>(), shape.as<int32_t>(),
                            rank, out.data, out.dtype};
  if constexpr (kSum) {
    elementwiseSum(call);
  } else {
    elementwise(call);
  }
  return info.Env().Undefined();
}

// reduce(op, x, outer, n, inner, out), op the reduction's name ('sum', 'argmax', ...)
Napi::Value Reduce(const Napi::CallbackInfo& info) {
  Args args(info, "reduce", 6);
  const std::string name = args.string(0, "op");
  ReduceOp op;
  if (!reduceOpNamed(name, &op)) {
    args.fail("op '" + name + "' is not sum, prod, max, min, argmax or argmin", true);
  }
  const ArrayArg x = args.array(1, "x");
  const int64_t outer = args.count(2, "outer"), n = args.count(3, "n");
  const int64_t inner = args.count(4, "inner");
  const bool arg = op == ReduceOp::Argmax || op == ReduceOp::Argmin;
  const ArrayArg out = arg ? args.typed(5, "out", DType::I32) : args.array(5, "out");
  if (!arg) args.sameType(x, "x", out, "out");
  args.needs(x, "x", static_cast<double>(outer) * n * inner);
  args.needs(out, "out", static_cast<double>(outer) * inner);
  auto run = [&](auto zero) {
    using T = decltype(zero);
    if (arg) {
      argReduce<T>(op, x.as<T>(), outer, n, inner, out.as<int32_t>());
    } else {
      reduce<T>(op, x.as<T>(), outer, n, inner, out.as<T>());
    }
  };
  if (x.dtype == DType::I32) {
    run(int32_t{});
  } else {
    withFloat(x.dtype, run);
  }
  return info.Env().Undefined();
}

// philoxUniform(seed, stream, counter, out)
Napi::Value PhiloxUniform(const Napi::CallbackInfo& info) {
  Args args(info, "philoxUniform", 4);
  const uint32_t seed = args.uint32(0, "seed"), stream = args.uint32(1, "stream");
  const uint32_t counter = args.uint32(2, "counter");
  const ArrayArg out = args.floatArray(3, "out");
  withFloat(out.dtype, [&](auto zero) {
    using T = decltype(zero);
    philoxUniform<T>(seed, stream, counter, out.as<T>(), out.length);
  });
  return info.Env().Undefined();
}

// philoxBlock(c0, c1, c2, c3, k0, k1): the raw 4-word block, for known-answer tests.
Napi::Value PhiloxBlock(const Napi::CallbackInfo& info) {
  Args args(info, "philoxBlock", 6);
  const PhiloxWords words =
      philoxBlock({args.uint32(0, "c0"), args.uint32(1, "c1"), args.uint32(2, "c2"),
                   args.uint32(3, "c3")},
                  args.uint32(4, "k0"), args.uint32(5, "k1"));
  Napi::Array result = Napi::Array::New(info.Env(), 4);
  for (uint32_t i = 0; i < 4; ++i) result.Set(i, Napi::Number::New(info.Env(), words[i]));
  return result;
}

// threads(n?): sets the OpenMP and OpenBLAS thread counts when n is given; returns the count.
Napi::Value Threads(const Napi::CallbackInfo& info) {
  Args args(info, "threads", 0);
  if (info.Length() > 0 && !info[0].IsUndefined()) {
    const int64_t n = args.count(0, "n", 1024);
    if (n < 1) args.fail("n must be at least 1", true);
    setThreads(static_cast<int>(n));
  }
  return Napi::Number::New(info.Env(), threads());
}

constexpr const char* kGemmClassNames[kGemmClasses] = {"narrow", "narrowT", "cache", "large"};

// gemmKernel(shapeClass, kernel?): sets the kernel ("blas" or "ours") for a shape class when given;
// returns the class's kernel.
Napi::Value GemmKernelOf(const Napi::CallbackInfo& info) {
  Args args(info, "gemmKernel", 1);
  const std::string name = args.string(0, "shapeClass");
  const auto* found = std::find(kGemmClassNames, kGemmClassNames + kGemmClasses, name);
  if (found == kGemmClassNames + kGemmClasses) args.fail("shapeClass must be narrow, narrowT, cache or large", false);
  const auto shapeClass = static_cast<GemmClass>(found - kGemmClassNames);
  if (info.Length() > 1 && !info[1].IsUndefined()) {
    const std::string kernel = args.string(1, "kernel");
    if (kernel != "blas" && kernel != "ours") args.fail("kernel must be blas or ours", false);
    setGemmKernel(shapeClass, kernel == "ours" ? GemmKernel::Ours : GemmKernel::Blas);
  }
  return Napi::String::New(info.Env(), gemmKernel(shapeClass) == GemmKernel::Ours ? "ours" : "blas");
}

constexpr const char* kLoopFamilyNames[kLoopFamilies] = {"elementwise", "reduce", "pool"};

// parallelMinimum(family, elements?): sets the fewest elements from which a loop family's kernels take
// several threads when given; returns the family's.
Napi::Value ParallelMinimumOf(const Napi::CallbackInfo& info) {
  Args args(info, "parallelMinimum", 1);
  const std::string name = args.string(0, "family");
  const auto* found = std::find(kLoopFamilyNames, kLoopFamilyNames + kLoopFamilies, name);
  if (found == kLoopFamilyNames + kLoopFamilies) args.fail("family must be elementwise, reduce or pool", false);
  int64_t& minimum = parallelMinimum(static_cast<LoopFamily>(found - kLoopFamilyNames));
  if (info.Length() > 1 && !info[1].IsUndefined()) minimum = args.count(1, "elements", 9007199254740991.0);
  return Napi::Number::New(info.Env(), static_cast<double>(minimum));
}

// convThreads(mode?): "chunks" (chunks of images on separate threads) or "gemm" (OpenBLAS threads each
// chunk's gemm); sets it when given, returns it.
Napi::Value ConvThreads(const Napi::CallbackInfo& info) {
  Args args(info, "convThreads", 0);
  if (info.Length() > 0 && !info[0].IsUndefined()) {
    const std::string mode = args.string(0, "mode");
    if (mode != "chunks" && mode != "gemm") args.fail("mode must be chunks or gemm", false);
    convChunksPerThread() = mode == "chunks";
  }
  return Napi::String::New(info.Env(), convChunksPerThread() ? "chunks" : "gemm");
}

// info(): the CPU, which instruction-set level this build and the CPU have, which OpenBLAS kernels
// and how many threads are in use, for logs, benchmarks and `nabla info`.
Napi::Value Info(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Napi::Object result = Napi::Object::New(env);
  result.Set("blasCore", blasCore());
  result.Set("threads", threads());
  result.Set("simd", compiledLevel());
  result.Set("supportedSimd", supportedLevel());
  result.Set("cpuModel", cpuModel());
  result.Set("built", buildStamp());
  const std::vector<std::string> features = cpuFeatures();
  Napi::Array list = Napi::Array::New(env, features.size());
  for (size_t i = 0; i < features.size(); ++i) list.Set(static_cast<uint32_t>(i), features[i]);
  result.Set("cpuFeatures", list);
  return result;
}

// The element-wise instruction set by name, so that TypeScript numbers its programs by the addon's own
// table (kernels/elementwise/instruction-set.h) and finds out when an op has no scalar here.
Napi::Object Opcodes(Napi::Env env) {
  Napi::Object result = Napi::Object::New(env);
  for (int op = 0; op < kOpcodeCount; ++op) result.Set(kOpcodes[op].name, op);
  return result;
}

// Typed arrays (every output a compiled function returns) come from malloc. By default glibc maps a
// large block afresh and unmaps it on free, so each call page-faults its output in again: 3.4 ms of an
// 18 ms 1024² product here, a third of a 256² one. Blocks up to 64 MiB come from the heap instead, and
// up to 256 MiB of freed heap stays in the process for the next call, as the NumPy peer arranges for
// itself (bench/peers/numpy_bench.py). NABLA_MALLOC=system leaves glibc's settings alone.
void keepFreedMemory() {
#ifdef __GLIBC__
  const char* setting = std::getenv("NABLA_MALLOC");
  if (setting && std::string(setting) == "system") return;
  mallopt(M_MMAP_THRESHOLD, 64 << 20);
  mallopt(M_TRIM_THRESHOLD, 256 << 20);
#endif
}

}  // namespace
}  // namespace nabla

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  using namespace nabla;
  keepFreedMemory();
  exports.Set("gemm", Napi::Function::New(env, Gemm, "gemm"));
  exports.Set("eigh", Napi::Function::New(env, Eigh, "eigh"));
  exports.Set("elementwise", Napi::Function::New(env, Elementwise<false>, "elementwise"));
  exports.Set("elementwiseSum", Napi::Function::New(env, Elementwise<true>, "elementwiseSum"));
  exports.Set("reduce", Napi::Function::New(env, Reduce, "reduce"));
  exportNetworkOps(env, exports);
  exports.Set("philoxUniform", Napi::Function::New(env, PhiloxUniform, "philoxUniform"));
  exports.Set("philoxBlock", Napi::Function::New(env, PhiloxBlock, "philoxBlock"));
  exports.Set("threads", Napi::Function::New(env, Threads, "threads"));
  exports.Set("info", Napi::Function::New(env, Info, "info"));
  exports.Set("gemmKernel", Napi::Function::New(env, GemmKernelOf, "gemmKernel"));
  exports.Set("parallelMinimum", Napi::Function::New(env, ParallelMinimumOf, "parallelMinimum"));
  exports.Set("convThreads", Napi::Function::New(env, ConvThreads, "convThreads"));
  exports.Set("opcodes", Opcodes(env));
  return exports;
}

NODE_API_MODULE(nabla_native, Init)
