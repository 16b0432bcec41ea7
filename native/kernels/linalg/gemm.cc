// Thin over cblas so the JS call costs no more than the BLAS call itself. Each product falls in a
// shape class (gemm.h), and each class runs OpenBLAS or our kernel for it: skinny-gemm.cc for a
// narrow right operand, unpacked-gemm.cc for the rest. Which is faster depends on the CPU and on
// which kernels OpenBLAS picked for it, so the choice is set from outside (measured by
// src/backends/native/kernel-choice.ts); until then it is the one measured on an AVX2 OpenBLAS,
// where ours won for narrow and cache-sized products. binding.gyp links the
// OpenMP build of OpenBLAS, so BLAS shares our OpenMP threads instead of running a second pool that
// competes with them for the same cores (which made alternating kernels several times slower), and
// a gemm called inside one of our parallel regions runs single-threaded.
#include "gemm.h"

#include <cblas.h>
#include <omp.h>

#include "skinny-gemm.h"
#include "unpacked-gemm.h"

namespace nabla {
namespace {

CBLAS_TRANSPOSE op(bool transposed) { return transposed ? CblasTrans : CblasNoTrans; }

// A product with one column of output is a matrix-vector product (the gradient W·d of a recurrent
// step): BLAS's gemv reads the matrix once with no packing, several times faster than a narrow gemm.
template <class T, class Gemv>
bool asGemv(Gemv gemv, bool transA, bool transB, int M, int N, int K, T alpha, const T* A, int lda,
            const T* B, int ldb, T beta, T* C, int ldc) {
  if (N != 1 || M == 0 || K == 0) return false;
  // C[:, 0] = op(A) · (column of op(B)); A is stored M×K, or K×M when transposed.
  gemv(CblasRowMajor, op(transA), transA ? K : M, transA ? M : K, alpha, A, lda, B, transB ? 1 : ldb,
       beta, C, ldc);
  return true;
}

GemmKernel chosen[kGemmClasses] = {GemmKernel::Ours, GemmKernel::Ours, GemmKernel::Ours, GemmKernel::Blas};

// Our kernel for a product of class c (false when it has none for the shape).
template <class T>
bool ours(GemmClass c, bool transA, bool transB, int M, int N, int K, T alpha, const T* A, int lda,
          const T* B, int ldb, T beta, T* C, int ldc) {
  if (c == GemmClass::Narrow || c == GemmClass::NarrowT) return skinnyGemm(transA, transB, M, N, K, alpha, A, lda, B, ldb, beta, C, ldc);
  return unpackedGemm(transA, transB, M, N, K, alpha, A, lda, B, ldb, beta, C, ldc);
}

// The kernel for a product: gemv for one output column, else the one chosen for its shape class
// (Gemv and Gemm are cblas's functions for T).
template <class T, class Gemv, class Gemm>
void dispatch(Gemv gemv, Gemm blasGemm, bool transA, bool transB, int M, int N, int K, T alpha,
              const T* A, int lda, const T* B, int ldb, T beta, T* C, int ldc) {
  if (asGemv(gemv, transA, transB, M, N, K, alpha, A, lda, B, ldb, beta, C, ldc)) return;
  const GemmClass c = gemmClass(transA, transB, M, N, K, sizeof(T));
  if (chosen[static_cast<int>(c)] == GemmKernel::Ours &&
      ours(c, transA, transB, M, N, K, alpha, A, lda, B, ldb, beta, C, ldc)) {
    return;
  }
  blasGemm(CblasRowMajor, op(transA), op(transB), M, N, K, alpha, A, lda, B, ldb, beta, C, ldc);
}

}  // namespace

GemmClass gemmClass(bool transA, bool transB, int M, int N, int K, int elementBytes) {
  if (!transB && N <= kSkinnyMaxN) return transA ? GemmClass::NarrowT : GemmClass::Narrow;
  return double(M) * K * elementBytes <= kCacheBytesOfA ? GemmClass::Cache : GemmClass::Large;
}

GemmKernel gemmKernel(GemmClass c) { return chosen[static_cast<int>(c)]; }

void setGemmKernel(GemmClass c, GemmKernel k) { chosen[static_cast<int>(c)] = k; }

template <>
void gemm<float>(bool transA, bool transB, int M, int N, int K, float alpha, const float* A,
                 int lda, const float* B, int ldb, float beta, float* C, int ldc) {
  dispatch(cblas_sgemv, cblas_sgemm, transA, transB, M, N, K, alpha, A, lda, B, ldb, beta, C, ldc);
}

template <>
void gemm<double>(bool transA, bool transB, int M, int N, int K, double alpha, const double* A,
                  int lda, const double* B, int ldb, double beta, double* C, int ldc) {
  dispatch(cblas_dgemv, cblas_dgemm, transA, transB, M, N, K, alpha, A, lda, B, ldb, beta, C, ldc);
}

std::string blasCore() { return openblas_get_corename(); }

int threads() { return omp_get_max_threads(); }

void setThreads(int n) {
  omp_set_num_threads(n);
  openblas_set_num_threads(n);
}

}  // namespace nabla
