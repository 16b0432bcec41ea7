// Row-major general matrix multiply on OpenBLAS: C = alpha·op(A)·op(B) + beta·C.
#pragma once

#include <string>

namespace nabla {

template <class T>
void gemm(bool transA, bool transB, int M, int N, int K, T alpha, const T* A, int lda,
          const T* B, int ldb, T beta, T* C, int ldc);

// The kernel family OpenBLAS chose for this CPU (or was told to by OPENBLAS_CORETYPE).
std::string blasCore();

// Thread count used by both OpenMP kernels and OpenBLAS; setThreads(n) sets both.
int threads();
void setThreads(int n);

}  // namespace nabla
