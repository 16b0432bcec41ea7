// The inner loop both unpacked products share: R rows by W columns of C held in registers while
// K rows of a W-wide panel of B stream past.
#pragma once

#include <cstdint>

namespace nabla {

// Rows [0, R) and columns [0, width) of C (row stride ldc) = alpha·Σ_k op(A)[r, k]·B[k, j] + beta·C,
// where element (r, k) of op(A) is a[r·rowStride + k·kStride] ((lda, 1) for A, (1, lda) for its
// transpose) and row k of the panel starts at b + k·ldb. beta = 0 never reads C.
template <class T, int R, int W>
void registerBlock(const T* a, int64_t rowStride, int64_t kStride, const T* b, int64_t ldb, int K,
                   int width, T alpha, T beta, T* c, int ldc) {
  T acc[R][W] = {};
  for (int k = 0; k < K; ++k) {
    const T* row = b + k * ldb;
    for (int r = 0; r < R; ++r) {
      const T x = a[r * rowStride + k * kStride];
#pragma omp simd
      for (int j = 0; j < W; ++j) acc[r][j] += x * row[j];
    }
  }
  for (int r = 0; r < R; ++r) {
    T* out = c + int64_t{r} * ldc;
    // C may hold anything when beta is 0, NaN included.
    for (int j = 0; j < width; ++j) out[j] = alpha * acc[r][j] + (beta == T(0) ? T(0) : beta * out[j]);
  }
}

}  // namespace nabla
