// Both subtract the row maximum first, so exp never overflows and the largest term is exactly
// 1; the normaliser is summed in double, which keeps float32 rows of thousands accurate.
#include "softmax.h"

#include <cmath>

#include "scalar-ops.h"

namespace nabla {
namespace {

constexpr int64_t kParallelMin = 1 << 15;

template <class T>
T rowMax(const T* x, int64_t cols) {
  T m = -INFINITY;
  for (int64_t j = 0; j < cols; ++j) m = scalar::maximum(m, x[j]);
  return m;
}

}  // namespace

template <class T>
void softmax(const T* x, int64_t rows, int64_t cols, T* out) {
#pragma omp parallel for schedule(static) if (rows * cols >= kParallelMin)
  for (int64_t i = 0; i < rows; ++i) {
    const T* row = x + i * cols;
    T* target = out + i * cols;
    const T max = rowMax(row, cols);
    double sum = 0;
    for (int64_t j = 0; j < cols; ++j) {
      target[j] = std::exp(row[j] - max);
      sum += target[j];
    }
    const T scale = static_cast<T>(1 / sum);
    for (int64_t j = 0; j < cols; ++j) target[j] *= scale;
  }
}

// out may alias x: the sum pass only reads, and each element is written after its last read.
template <class T>
void logSoftmax(const T* x, int64_t rows, int64_t cols, T* out) {
#pragma omp parallel for schedule(static) if (rows * cols >= kParallelMin)
  for (int64_t i = 0; i < rows; ++i) {
    const T* row = x + i * cols;
    const T max = rowMax(row, cols);
    double sum = 0;
    for (int64_t j = 0; j < cols; ++j) sum += std::exp(row[j] - max);
    const T logSum = static_cast<T>(std::log(sum));
    for (int64_t j = 0; j < cols; ++j) out[i * cols + j] = (row[j] - max) - logSum;
  }
}

template void softmax<float>(const float*, int64_t, int64_t, float*);
template void softmax<double>(const double*, int64_t, int64_t, double*);
template void logSoftmax<float>(const float*, int64_t, int64_t, float*);
template void logSoftmax<double>(const double*, int64_t, int64_t, double*);

}  // namespace nabla
