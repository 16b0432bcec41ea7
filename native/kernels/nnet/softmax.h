// Row-wise softmax, log-softmax and softmax cross-entropy of a contiguous [rows, cols] matrix.
#pragma once

#include <cstdint>

namespace nabla {

template <class T>
void softmax(const T* x, int64_t rows, int64_t cols, T* out);

template <class T>
void logSoftmax(const T* x, int64_t rows, int64_t cols, T* out);

// loss[i] = log sum_j exp(z[i, j]) - z[i, y[i]]: the cross-entropy of softmax(z) against labels y,
// which the caller has checked lie in [0, cols).
template <class T>
void softmaxCrossentropy(const T* z, const int32_t* y, int64_t rows, int64_t cols, T* loss);

// Its gradient: dz[i, j] = g[i] * (softmax(z)[i, j] - (j == y[i])).
template <class T>
void softmaxCrossentropyGrad(const T* g, const T* z, const int32_t* y, int64_t rows, int64_t cols,
                             T* dz);

}  // namespace nabla
