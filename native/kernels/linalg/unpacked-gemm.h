// Products whose A is a few MiB at most: every dense layer's x·W and x·Wᵀ, from a minibatch of 20 to
// one of 600. OpenBLAS packs both operands into panels before computing; with the AVX2
// kernels it runs here (OPENBLAS_CORETYPE=Haswell on this machine), that reached 100 GFLOP/s for a
// minibatch of 20 and 250 at n = 1024. These loops read A and B in place, one L2-sized panel of B's
// columns at a time, and compile for the build machine's widest vectors (AVX-512 here): 300 and
// 306 GFLOP/s on the same shapes, on two threads. Where A outgrows the caches (n = 2048), re-reading
// it for every panel costs more than packing. Against OpenBLAS's AVX-512 kernels it loses even on
// cache-sized products; gemm.cc runs whichever was measured faster on the CPU at hand.
#pragma once

namespace nabla {

// C = alpha·op(A)·op(B) + beta·C for row-major A (M×K, or K×M when transA), B (K×N, or N×K when
// transB) and C (M×N).
// Returns false, doing nothing, when M, N or K is 0.
template <class T>
bool unpackedGemm(bool transA, bool transB, int M, int N, int K, T alpha, const T* A, int lda,
                  const T* B, int ldb, T beta, T* C, int ldc);

}  // namespace nabla
