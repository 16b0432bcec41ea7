// Splits a loop across the OpenMP threads only when it is worth it. Entering an OpenMP region
// costs microseconds even with if(false) (the implicit barrier wakes a futex), which would
// dominate the many small calls of a training step, so small loops run inline instead.
#pragma once

#include <omp.h>

#include <cstdint>

namespace nabla {

// Calls body(begin, end) once per thread on contiguous slices of [0, n), or once for all of it
// when `worthIt` is false, there is one thread, or we are already inside a parallel region.
template <class F>
void parallelFor(int64_t n, bool worthIt, F body) {
  if (!worthIt || n < 2 || omp_get_max_threads() == 1 || omp_in_parallel()) {
    body(int64_t{0}, n);
    return;
  }
#pragma omp parallel
  {
    const int64_t threads = omp_get_num_threads(), t = omp_get_thread_num();
    const int64_t begin = n * t / threads, end = n * (t + 1) / threads;
    if (begin < end) body(begin, end);
  }
}

}  // namespace nabla
