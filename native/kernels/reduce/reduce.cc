// Two loop shapes cover every layout: a row reduction when inner == 1 (contiguous, vectorised
// with a SIMD reduction) and a column reduction otherwise (rows of `inner` added element-wise
// into an accumulator, which vectorises without reassociating a single sum).
#include "reduce.h"

#include <algorithm>
#include <limits>

#include "../dtype.h"
#include "../parallel.h"
#include "../scalar.h"

namespace nabla {
namespace {

constexpr int64_t kColumnChunk = 2048;     // accumulator width: 16 KiB of doubles stays in L1
const int64_t& kParallelMin = parallelMinimum(LoopFamily::Reduce);  // measured (parallel.h)

constexpr double kInf = std::numeric_limits<double>::infinity();

struct Sum {
  static constexpr double identity = 0;
  static double combine(double acc, double x) { return acc + x; }
};
struct Prod {
  static constexpr double identity = 1;
  static double combine(double acc, double x) { return acc * x; }
};
struct Max {
  static constexpr double identity = -kInf;
  static double combine(double acc, double x) { return scalar::maximum(acc, x); }
};
struct Min {
  static constexpr double identity = kInf;
  static double combine(double acc, double x) { return scalar::minimum(acc, x); }
};

template <class Op, class T>
double reduceRow(const T* x, int64_t n) {
  double acc = Op::identity;
  if constexpr (std::is_same_v<Op, Sum>) {
#pragma omp simd reduction(+ : acc)
    for (int64_t i = 0; i < n; ++i) acc += x[i];
  } else if constexpr (std::is_same_v<Op, Prod>) {
#pragma omp simd reduction(* : acc)
    for (int64_t i = 0; i < n; ++i) acc *= x[i];
  } else {
    for (int64_t i = 0; i < n; ++i) acc = Op::combine(acc, x[i]);
  }
  return acc;
}

// Splits [outer, inner] into tasks of at most kColumnChunk columns and runs them in parallel.
template <class F>
void forEachTask(int64_t outer, int64_t n, int64_t inner, F task) {
  const int64_t chunks = (inner + kColumnChunk - 1) / kColumnChunk;
  parallelFor(outer * chunks, outer * n * inner >= kParallelMin, [&](int64_t from, int64_t to) {
    for (int64_t t = from; t < to; ++t) {
      const int64_t begin = t % chunks * kColumnChunk;
      task(t / chunks, begin, std::min(kColumnChunk, inner - begin));
    }
  });
}

template <class Op, class T>
void reduceWith(const T* x, int64_t outer, int64_t n, int64_t inner, T* out) {
  if (inner == 1) {
    parallelFor(outer, outer * n >= kParallelMin, [&](int64_t from, int64_t to) {
      for (int64_t o = from; o < to; ++o) out[o] = storeAs<T>(reduceRow<Op>(x + o * n, n));
    });
    return;
  }
  forEachTask(outer, n, inner, [&](int64_t o, int64_t begin, int64_t width) {
    double acc[kColumnChunk];
    std::fill(acc, acc + width, Op::identity);
    for (int64_t r = 0; r < n; ++r) {
      const T* row = x + (o * n + r) * inner + begin;
      for (int64_t i = 0; i < width; ++i) acc[i] = Op::combine(acc[i], row[i]);
    }
    T* target = out + o * inner + begin;
    for (int64_t i = 0; i < width; ++i) target[i] = storeAs<T>(acc[i]);
  });
}

// True when x should replace the current extreme: strictly better, or the first NaN.
template <class T>
inline bool beats(ReduceOp op, T x, T best, bool bestIsNaN) {
  if (bestIsNaN) return false;
  if (x != x) return true;
  return op == ReduceOp::Argmax ? x > best : x < best;
}

}  // namespace

template <class T>
void reduce(ReduceOp op, const T* x, int64_t outer, int64_t n, int64_t inner, T* out) {
  switch (op) {
    case ReduceOp::Sum: return reduceWith<Sum>(x, outer, n, inner, out);
    case ReduceOp::Prod: return reduceWith<Prod>(x, outer, n, inner, out);
    case ReduceOp::Max: return reduceWith<Max>(x, outer, n, inner, out);
    case ReduceOp::Min: return reduceWith<Min>(x, outer, n, inner, out);
    default: return;
  }
}

template <class T>
void argReduce(ReduceOp op, const T* x, int64_t outer, int64_t n, int64_t inner, int32_t* out) {
  forEachTask(outer, n, inner, [&](int64_t o, int64_t begin, int64_t width) {
    T best[kColumnChunk];
    bool bestIsNaN[kColumnChunk];
    int32_t* index = out + o * inner + begin;
    std::fill(index, index + width, n > 0 ? 0 : -1);
    if (n == 0) return;
    const T* first = x + o * n * inner + begin;
    for (int64_t i = 0; i < width; ++i) {
      best[i] = first[i];
      bestIsNaN[i] = first[i] != first[i];
    }
    for (int64_t r = 1; r < n; ++r) {
      const T* row = first + r * inner;
      for (int64_t i = 0; i < width; ++i) {
        if (beats(op, row[i], best[i], bestIsNaN[i])) {
          best[i] = row[i];
          bestIsNaN[i] = row[i] != row[i];
          index[i] = static_cast<int32_t>(r);
        }
      }
    }
  });
}

template void reduce<float>(ReduceOp, const float*, int64_t, int64_t, int64_t, float*);
template void reduce<double>(ReduceOp, const double*, int64_t, int64_t, int64_t, double*);
template void reduce<int32_t>(ReduceOp, const int32_t*, int64_t, int64_t, int64_t, int32_t*);
template void argReduce<float>(ReduceOp, const float*, int64_t, int64_t, int64_t, int32_t*);
template void argReduce<double>(ReduceOp, const double*, int64_t, int64_t, int64_t, int32_t*);
template void argReduce<int32_t>(ReduceOp, const int32_t*, int64_t, int64_t, int64_t, int32_t*);

}  // namespace nabla
