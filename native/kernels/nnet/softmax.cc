// Both subtract the row maximum first, so exp never overflows and the largest term is exactly 1;
// the normaliser is summed in double. Rows are handled a block at a time in three passes
// (shift, exp over the whole block, normalise) so exp runs as one long vectorised loop even when
// rows are short, like the 10 classes of a digit classifier.
#include "softmax.h"

#include <algorithm>
#include <cmath>
#include <vector>

#include "../parallel.h"
#include "../scalar.h"
#include "../vector-math.h"

namespace nabla {
namespace {

constexpr int64_t kBlockElements = 4096;  // per pass: fits in L1 alongside the input
constexpr int64_t kParallelMin = 1 << 15;

// Writes exp(x - rowmax) for rows [from, to) into e, and each row's max into `max`.
template <class T>
void shiftedExp(const T* x, int64_t from, int64_t to, int64_t cols, T* e, T* max) {
  for (int64_t i = from; i < to; ++i) {
    const T* row = x + i * cols;
    T m = -INFINITY;
    for (int64_t j = 0; j < cols; ++j) m = scalar::maximum(m, row[j]);
    max[i - from] = m;
    T* shifted = e + (i - from) * cols;
    for (int64_t j = 0; j < cols; ++j) shifted[j] = row[j] - m;
  }
  const int64_t n = (to - from) * cols;
  for (int64_t k = 0; k < n; ++k) e[k] = std::exp(e[k]);
}

template <class T>
double rowSum(const T* e, int64_t cols) {
  double sum = 0;
#pragma omp simd reduction(+ : sum)
  for (int64_t j = 0; j < cols; ++j) sum += e[j];
  return sum;
}

// Calls f(from, to, e, max) for blocks of rows, with e and max scratch for that block.
template <class T, class F>
void forEachRowBlock(int64_t rows, int64_t cols, F f) {
  const int64_t perBlock = std::max<int64_t>(1, kBlockElements / std::max<int64_t>(1, cols));
  const int64_t blocks = (rows + perBlock - 1) / perBlock;
  parallelFor(blocks, rows * cols >= kParallelMin, [&](int64_t first, int64_t last) {
    std::vector<T> e(perBlock * cols), max(perBlock);
    for (int64_t b = first; b < last; ++b) {
      f(b * perBlock, std::min(rows, (b + 1) * perBlock), e.data(), max.data());
    }
  });
}

}  // namespace

template <class T>
void softmax(const T* x, int64_t rows, int64_t cols, T* out) {
  forEachRowBlock<T>(rows, cols, [&](int64_t from, int64_t to, T* e, T* max) {
    shiftedExp(x, from, to, cols, e, max);
    for (int64_t i = from; i < to; ++i) {
      const T* terms = e + (i - from) * cols;
      const T scale = static_cast<T>(1 / rowSum(terms, cols));
      for (int64_t j = 0; j < cols; ++j) out[i * cols + j] = terms[j] * scale;
    }
  });
}

// out may alias x: each block reads x before writing the same rows of out.
template <class T>
void logSoftmax(const T* x, int64_t rows, int64_t cols, T* out) {
  forEachRowBlock<T>(rows, cols, [&](int64_t from, int64_t to, T* e, T* max) {
    shiftedExp(x, from, to, cols, e, max);
    for (int64_t i = from; i < to; ++i) {
      const T logSum = static_cast<T>(std::log(rowSum(e + (i - from) * cols, cols)));
      const T m = max[i - from];
      for (int64_t j = 0; j < cols; ++j) out[i * cols + j] = (x[i * cols + j] - m) - logSum;
    }
  });
}

template <class T>
void softmaxCrossentropy(const T* z, const int32_t* y, int64_t rows, int64_t cols, T* loss) {
  forEachRowBlock<T>(rows, cols, [&](int64_t from, int64_t to, T* e, T* max) {
    shiftedExp(z, from, to, cols, e, max);
    for (int64_t i = from; i < to; ++i) {
      const double logSum = std::log(rowSum(e + (i - from) * cols, cols));
      loss[i] = static_cast<T>(logSum - (z[i * cols + y[i]] - max[i - from]));
    }
  });
}

template <class T>
void softmaxCrossentropyGrad(const T* g, const T* z, const int32_t* y, int64_t rows, int64_t cols,
                             T* dz) {
  forEachRowBlock<T>(rows, cols, [&](int64_t from, int64_t to, T* e, T* max) {
    shiftedExp(z, from, to, cols, e, max);
    for (int64_t i = from; i < to; ++i) {
      const T* terms = e + (i - from) * cols;
      const T scale = static_cast<T>(g[i] / rowSum(terms, cols));
      T* row = dz + i * cols;
      for (int64_t j = 0; j < cols; ++j) row[j] = terms[j] * scale;
      row[y[i]] -= g[i];
    }
  });
}

#define NABLA_SOFTMAX_INSTANCES(T)                                                          \
  template void softmax<T>(const T*, int64_t, int64_t, T*);                                 \
  template void logSoftmax<T>(const T*, int64_t, int64_t, T*);                              \
  template void softmaxCrossentropy<T>(const T*, const int32_t*, int64_t, int64_t, T*);     \
  template void softmaxCrossentropyGrad<T>(const T*, const T*, const int32_t*, int64_t,     \
                                           int64_t, T*);
NABLA_SOFTMAX_INSTANCES(float)
NABLA_SOFTMAX_INSTANCES(double)

}  // namespace nabla
