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

// Vectors of T one SIMD register holds in this build (the addon is compiled once per SIMD level).
#if defined(__AVX512F__)
constexpr int kVectorBytes = 64;
#elif defined(__AVX__)
constexpr int kVectorBytes = 32;
#else
constexpr int kVectorBytes = 16;
#endif

// Rows of A ahead of the one being read that are prefetched: A's rows are read a chunk at a time
// with a stride of a whole row, longer than the hardware prefetchers follow.
constexpr int kPrefetchRows = 8;

// GCC's vector of one register's width, read from any float-aligned address.
template <class T>
struct Simd {
  static constexpr int lanes = kVectorBytes / static_cast<int>(sizeof(T));
  typedef T Vec __attribute__((vector_size(kVectorBytes), aligned(alignof(T))));
};

// Rows [0, V) of C (row stride ldc; each row N ≤ G values) = alpha·Σ_k a[k, v]·g[k, j] + beta·C, where
// row k of A starts at a + k·lda and the K×G panel g holds B's columns padded with zeros. The G·V
// sums stay in registers (explicit vectors: an array of scalars ends up on the stack) while A's rows
// stream past, V values of each.
template <class T, int G, int V>
void transposedChunk(const T* a, int64_t lda, const T* g, int K, int N, T alpha, T beta, T* c, int ldc) {
  using S = Simd<T>;
  using Vec = typename S::Vec;
  constexpr int P = V / S::lanes;  // registers per row of sums; V is a whole number of registers
  static_assert(P >= 1 && P * S::lanes == V);
  Vec acc[G][P];
#pragma GCC unroll 16
  for (int j = 0; j < G; ++j) {
#pragma GCC unroll 4
    for (int p = 0; p < P; ++p) acc[j][p] = Vec{} ;
  }
  for (int k = 0; k < K; ++k) {
    const T* x = a + k * lda;
    if (k + kPrefetchRows < K) {
      __builtin_prefetch(x + kPrefetchRows * lda);
      __builtin_prefetch(x + kPrefetchRows * lda + V - 1);
    }
    Vec xs[P];
#pragma GCC unroll 4
    for (int p = 0; p < P; ++p) xs[p] = *reinterpret_cast<const Vec*>(x + p * S::lanes);
    const T* gk = g + int64_t{k} * G;
#pragma GCC unroll 16
    for (int j = 0; j < G; ++j) {
      const T gj = gk[j];
#pragma GCC unroll 4
      for (int p = 0; p < P; ++p) acc[j][p] += gj * xs[p];
    }
  }
  T sums[G][V];
  for (int j = 0; j < G; ++j) {
    for (int p = 0; p < P; ++p) *reinterpret_cast<Vec*>(&sums[j][p * S::lanes]) = acc[j][p];
  }
  for (int v = 0; v < V; ++v) {
    T* out = c + int64_t{v} * ldc;
    // C may hold anything when beta is 0, NaN included.
    for (int j = 0; j < N; ++j) out[j] = alpha * sums[j][v] + (beta == T(0) ? T(0) : beta * out[j]);
  }
}

// The same for the last columns of A, fewer than a register's width: one value of C at a time.
template <class T, int G>
void transposedColumn(const T* a, int64_t lda, const T* g, int K, int N, T alpha, T beta, T* c) {
  T acc[G] = {};
  for (int k = 0; k < K; ++k) {
    const T x = a[k * lda];
    for (int j = 0; j < G; ++j) acc[j] += x * g[int64_t{k} * G + j];
  }
  for (int j = 0; j < N; ++j) c[j] = alpha * acc[j] + (beta == T(0) ? T(0) : beta * c[j]);
}

// C (M×N) = alpha·Aᵀ·B + beta·C for A stored K×M: the weight gradient xᵀ·g of a narrow layer. Each
// chunk of C's rows is a run of A's columns, read row after row across A; chunks of two registers'
// width, then of one, then single columns.
template <class T, int G>
void transposedGroup(int M, int N, int K, T alpha, const T* A, int lda, const T* B, int ldb, T beta, T* C,
                     int ldc) {
  // Two registers' width where there are 32 of them (AVX-512), one where G·V sums must fit in 16.
  constexpr int V = (kVectorBytes == 64 ? 2 : 1) * kVectorBytes / static_cast<int>(sizeof(T));
  const std::vector<T> padded = padColumns<T, G>(B, K, N, ldb);
  const int64_t chunks = M / V;
  const bool worthIt = 2.0 * M * N * K >= kParallelFlops;
  parallelFor(chunks, worthIt, [&](int64_t first, int64_t last) {
    for (int64_t i = first * V; i < last * V; i += V) {
      transposedChunk<T, G, V>(A + i, lda, padded.data(), K, N, alpha, beta, C + i * ldc, ldc);
    }
  });
  int64_t i = chunks * V;
  if (V > Simd<T>::lanes && M - i >= Simd<T>::lanes) {
    constexpr int one = Simd<T>::lanes;
    for (; i + one <= M; i += one) {
      transposedChunk<T, G, one>(A + i, lda, padded.data(), K, N, alpha, beta, C + i * ldc, ldc);
    }
  }
  for (; i < M; ++i) transposedColumn<T, G>(A + i, lda, padded.data(), K, N, alpha, beta, C + i * ldc);
}

// Columns of B in groups of at most 10 (ten classes in one pass over A), each group's sums in registers.
template <class T>
void transposedProduct(int M, int N, int K, T alpha, const T* A, int lda, const T* B, int ldb, T beta, T* C,
                       int ldc) {
  for (int j = 0; j < N; j += 10) {
    const int n = std::min(10, N - j);
    if (n <= 4) {
      transposedGroup<T, 4>(M, n, K, alpha, A, lda, B + j, ldb, beta, C + j, ldc);
    } else if (n <= 8) {
      transposedGroup<T, 8>(M, n, K, alpha, A, lda, B + j, ldb, beta, C + j, ldc);
    } else {
      transposedGroup<T, 10>(M, n, K, alpha, A, lda, B + j, ldb, beta, C + j, ldc);
    }
  }
}

}  // namespace

template <class T>
bool skinnyGemm(bool transA, bool transB, int M, int N, int K, T alpha, const T* A, int lda,
                const T* B, int ldb, T beta, T* C, int ldc) {
  if (transB || N > kSkinnyMaxN || M == 0 || N == 0 || K == 0) return false;
  if (transA) {
    transposedProduct<T>(M, N, K, alpha, A, lda, B, ldb, beta, C, ldc);
  } else if (N <= 8) {
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
