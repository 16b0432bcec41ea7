#include "unpacked-gemm.h"

#include <algorithm>
#include <cstdint>
#include <type_traits>
#include <vector>

#include "../parallel.h"
#include "register-block.h"

namespace nabla {
namespace {

constexpr int64_t kParallelFlops = 1 << 18;
constexpr int kRows = 8;          // rows of C per register block: 16 AVX-512 accumulators for floats
constexpr int kPanelBytes = 128;  // columns of B per panel, in bytes of one row: two AVX-512 registers

// All M rows of C for one panel of W columns of op(B), starting at column j. B is read in place when
// it is not transposed and the panel is whole; otherwise from a copy laid out as K rows of W values,
// zero beyond the panel's width, so the register block keeps its fixed width and reads rows.
template <class T, int W>
void panel(const T* A, int64_t rowStride, int64_t kStride, int M, int K, const T* B, int64_t ldb,
           bool transB, int64_t j, int width, T alpha, T beta, T* C, int ldc) {
  std::vector<T> copy;
  if (transB || width < W) {
    copy.assign(static_cast<size_t>(K) * W, T(0));
    for (int k = 0; k < K; ++k) {
      T* row = copy.data() + int64_t{k} * W;
      for (int c = 0; c < width; ++c) row[c] = transB ? B[(j + c) * ldb + k] : B[k * ldb + j + c];
    }
    B = copy.data();
    ldb = W;
  } else {
    B += j;
  }
  C += j;
  const auto rows = [&](auto count, int& i) {
    constexpr int R = decltype(count)::value;
    for (; i + R <= M; i += R) {
      registerBlock<T, R, W>(A + i * rowStride, rowStride, kStride, B, ldb, K, width, alpha, beta, C + int64_t{i} * ldc, ldc);
    }
  };
  int i = 0;
  rows(std::integral_constant<int, kRows>{}, i);
  rows(std::integral_constant<int, kRows / 2>{}, i);
  rows(std::integral_constant<int, 1>{}, i);
}

}  // namespace

template <class T>
bool unpackedGemm(bool transA, bool transB, int M, int N, int K, T alpha, const T* A, int lda,
                  const T* B, int ldb, T beta, T* C, int ldc) {
  if (M == 0 || N == 0 || K == 0) return false;
  constexpr int W = kPanelBytes / sizeof(T);
  const int64_t rowStride = transA ? 1 : lda, kStride = transA ? lda : 1;
  const int64_t panels = (int64_t{N} + W - 1) / W;
  parallelFor(panels, 2.0 * M * N * K >= kParallelFlops, [&](int64_t first, int64_t last) {
    for (int64_t p = first; p < last; ++p) {
      const int64_t j = p * W;
      const int width = static_cast<int>(std::min<int64_t>(W, N - j));
      panel<T, W>(A, rowStride, kStride, M, K, B, ldb, transB, j, width, alpha, beta, C, ldc);
    }
  });
  return true;
}

template bool unpackedGemm<float>(bool, bool, int, int, int, float, const float*, int,
                                  const float*, int, float, float*, int);
template bool unpackedGemm<double>(bool, bool, int, int, int, double, const double*, int,
                                   const double*, int, double, double*, int);

}  // namespace nabla
