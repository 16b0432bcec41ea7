#include "skinny-gemm.h"

#include <algorithm>
#include <cstdint>
#include <vector>

#include "../parallel.h"
#include "register-block.h"

namespace nabla {
namespace {

constexpr int64_t kParallelFlops = 1 << 18;
constexpr int kAccumulators = 128;  // R·W values of C per block: 8 AVX-512 registers of floats

// B copied into K rows of exactly W columns, zero beyond N, so the inner loop has a fixed width.
template <class T, int W>
std::vector<T> padColumns(const T* B, int K, int N, int ldb) {
  std::vector<T> padded(static_cast<size_t>(K) * W, T(0));
  for (int k = 0; k < K; ++k) std::copy(B + int64_t{k} * ldb, B + int64_t{k} * ldb + N, padded.data() + int64_t{k} * W);
  return padded;
}

template <class T, int W>
void narrowProduct(bool transA, int M, int N, int K, T alpha, const T* A, int lda, const T* B,
                   int ldb, T beta, T* C, int ldc) {
  constexpr int R = kAccumulators / W;
  const std::vector<T> padded = padColumns<T, W>(B, K, N, ldb);
  const int64_t rowStride = transA ? 1 : lda, kStride = transA ? lda : 1;
  const int64_t blocks = (int64_t{M} + R - 1) / R;
  const bool worthIt = 2.0 * M * N * K >= kParallelFlops;
  parallelFor(blocks, worthIt, [&](int64_t first, int64_t last) {
    const int64_t end = std::min<int64_t>(M, last * R);
    int64_t i = first * R;
    for (; i + R <= end; i += R) {
      registerBlock<T, R, W>(A + i * rowStride, rowStride, kStride, padded.data(), W, K, N, alpha, beta, C + i * ldc, ldc);
    }
    for (; i < end; ++i) {
      registerBlock<T, 1, W>(A + i * rowStride, rowStride, kStride, padded.data(), W, K, N, alpha, beta, C + i * ldc, ldc);
    }
  });
}

}  // namespace

template <class T>
bool skinnyGemm(bool transA, bool transB, int M, int N, int K, T alpha, const T* A, int lda,
                const T* B, int ldb, T beta, T* C, int ldc) {
  if (transB || N > kSkinnyMaxN || M == 0 || N == 0 || K == 0) return false;
  if (N <= 8) {
    narrowProduct<T, 8>(transA, M, N, K, alpha, A, lda, B, ldb, beta, C, ldc);
  } else {
    narrowProduct<T, 16>(transA, M, N, K, alpha, A, lda, B, ldb, beta, C, ldc);
  }
  return true;
}

template bool skinnyGemm<float>(bool, bool, int, int, int, float, const float*, int, const float*,
                                int, float, float*, int);
template bool skinnyGemm<double>(bool, bool, int, int, int, double, const double*, int,
                                 const double*, int, double, double*, int);

}  // namespace nabla
