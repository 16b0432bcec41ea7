// Row-major general matrix multiply on OpenBLAS: C = alpha·op(A)·op(B) + beta·C.
#pragma once

#include <string>

namespace nabla {

// The shape classes whose kernel is chosen by measurement: a narrow right operand (N ≤ 16, B not
// transposed: a classifier's last layer), with A as stored (its forward product x·W) or transposed
// (its weight gradient xᵀ·g, which our kernel reads across rows), a left operand that fits the caches
// (every dense layer of the tutorials' models), and larger ones. A product with one output column is
// a gemv, in no class.
enum class GemmClass { Narrow, NarrowT, Cache, Large };
constexpr int kGemmClasses = 4;
enum class GemmKernel { Blas, Ours };

// Beyond this, A is re-read from memory for every panel of B our kernel computes.
constexpr double kCacheBytesOfA = 8 << 20;

GemmClass gemmClass(bool transA, bool transB, int M, int N, int K, int elementBytes);

// Which kernel runs each class: OpenBLAS, or ours (skinny-gemm.cc for the narrow classes,
// unpacked-gemm.cc for the others). Starts as ours for all but Large.
GemmKernel gemmKernel(GemmClass c);
void setGemmKernel(GemmClass c, GemmKernel k);

template <class T>
void gemm(bool transA, bool transB, int M, int N, int K, T alpha, const T* A, int lda,
          const T* B, int ldb, T beta, T* C, int ldc);

// The kernel family OpenBLAS chose for this CPU (or was told to by OPENBLAS_CORETYPE).
std::string blasCore();

// Thread count used by both OpenMP kernels and OpenBLAS; setThreads(n) sets both.
int threads();
void setThreads(int n);

}  // namespace nabla
