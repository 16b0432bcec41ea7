// Splits a loop across the OpenMP threads only when it is worth it. Entering an OpenMP region
// costs microseconds even with if(false) (the implicit barrier wakes a futex), which would
// dominate the many small calls of a training step, so small loops run inline instead.
#pragma once

#include <omp.h>

#include <cstdint>

namespace nabla {

// The loop families whose size for splitting across threads is measured on the running machine
// (src/backends/native/thread-choice.ts): the fewest elements from which each family's loops take
// several threads. Until set, the sizes found on a 2-core Xeon.
enum class LoopFamily { Elementwise, Reduce, Pool };
constexpr int kLoopFamilies = 3;

inline int64_t& parallelMinimum(LoopFamily family) {
  static int64_t minimum[kLoopFamilies] = {32768, int64_t{1} << 16, int64_t{1} << 15};
  return minimum[static_cast<int>(family)];
}

// Whether a convolution with enough chunks of images runs them on separate threads, each gemm on
// one (true), or one chunk at a time with OpenBLAS threading each gemm (false); measured too.
inline bool& convChunksPerThread() {
  static bool perThread = true;
  return perThread;
}

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
