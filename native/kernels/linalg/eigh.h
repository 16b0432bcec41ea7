// Eigendecomposition of a symmetric matrix through LAPACK's divide-and-conquer driver (?syevd, which
// OpenBLAS ships): eigenvalues ascending, eigenvectors as the columns of a row-major matrix.
#pragma once

namespace nabla {

// a: n×n symmetric, row-major (only its lower triangle is read); w: n eigenvalues, ascending;
// v: n×n, column j the unit eigenvector of w[j]. Returns LAPACK's info (0 on success, > 0 when
// the algorithm failed to converge).
template <class T>
int eigh(int n, const T* a, T* w, T* v);

}  // namespace nabla
