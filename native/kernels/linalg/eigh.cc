// ?syevd on a copy of the input: LAPACK works column-major, so the row-major lower triangle it is
// handed reads as the upper one, and the eigenvectors it leaves in columns land in rows; one
// transpose at the end puts them back in columns, as NumPy's eigh returns them.
#include "eigh.h"

#include <algorithm>
#include <vector>

extern "C" {
void ssyevd_(const char* jobz, const char* uplo, const int* n, float* a, const int* lda, float* w,
             float* work, const int* lwork, int* iwork, const int* liwork, int* info);
void dsyevd_(const char* jobz, const char* uplo, const int* n, double* a, const int* lda, double* w,
             double* work, const int* lwork, int* iwork, const int* liwork, int* info);
}

namespace nabla {
namespace {

void syevd(const int* n, float* a, float* w, float* work, const int* lwork, int* iwork,
           const int* liwork, int* info) {
  ssyevd_("V", "U", n, a, n, w, work, lwork, iwork, liwork, info);
}

void syevd(const int* n, double* a, double* w, double* work, const int* lwork, int* iwork,
           const int* liwork, int* info) {
  dsyevd_("V", "U", n, a, n, w, work, lwork, iwork, liwork, info);
}

}  // namespace

template <class T>
int eigh(int n, const T* a, T* w, T* v) {
  if (n == 0) return 0;
  std::vector<T> work(static_cast<size_t>(n) * n);
  std::copy(a, a + static_cast<size_t>(n) * n, work.begin());
  // A workspace query first (lwork = liwork = -1), then the decomposition.
  T lworkBest = 0;
  int liworkBest = 0, info = 0, query = -1;
  syevd(&n, work.data(), w, &lworkBest, &query, &liworkBest, &query, &info);
  if (info != 0) return info;
  const int lwork = static_cast<int>(lworkBest), liwork = liworkBest;
  std::vector<T> scratch(std::max(1, lwork));
  std::vector<int> iscratch(std::max(1, liwork));
  syevd(&n, work.data(), w, scratch.data(), &lwork, iscratch.data(), &liwork, &info);
  if (info != 0) return info;
  for (int i = 0; i < n; ++i) {
    for (int j = 0; j < n; ++j) v[static_cast<size_t>(i) * n + j] = work[static_cast<size_t>(j) * n + i];
  }
  return 0;
}

template int eigh<float>(int, const float*, float*, float*);
template int eigh<double>(int, const double*, double*, double*);

}  // namespace nabla
