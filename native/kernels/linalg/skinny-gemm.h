// Products with a narrow right operand (B is K×N with N ≤ 16, not transposed): a classifier's last
// layer, x·W and xᵀ·g with ten classes. OpenBLAS packs the whole wide operand into its panel
// format before computing such a product, which costs as much as the product itself; these
// kernels read A in place and keep all N columns of a row block in registers.
#pragma once

namespace nabla {

constexpr int kSkinnyMaxN = 16;

// C = alpha·op(A)·B + beta·C for row-major A (M×K, or K×M when transA), B (K×N) and C (M×N).
// Returns false, doing nothing, when the shape is not one these kernels handle.
template <class T>
bool skinnyGemm(bool transA, bool transB, int M, int N, int K, T alpha, const T* A, int lda,
                const T* B, int ldb, T beta, T* C, int ldc);

}  // namespace nabla
