// Row-wise softmax and log-softmax of a contiguous [rows, cols] matrix.
#pragma once

#include <cstdint>

namespace nabla {

template <class T>
void softmax(const T* x, int64_t rows, int64_t cols, T* out);

template <class T>
void logSoftmax(const T* x, int64_t rows, int64_t cols, T* out);

}  // namespace nabla
