// Reductions over the middle axis of a contiguous [outer, n, inner] view into [outer, inner].
#pragma once

#include <cstdint>

namespace nabla {

enum class ReduceOp { Sum = 0, Prod = 1, Max = 2, Min = 3, Argmax = 4, Argmin = 5 };

// Value reductions write the input's element type; float sums and products accumulate in
// double. max/min propagate NaN; argmax/argmin write int32 indices of the first extreme (or of
// the first NaN). n == 0 gives the identity (0, 1, -inf, +inf) or index -1.
template <class T>
void reduce(ReduceOp op, const T* x, int64_t outer, int64_t n, int64_t inner, T* out);

template <class T>
void argReduce(ReduceOp op, const T* x, int64_t outer, int64_t n, int64_t inner, int32_t* out);

}  // namespace nabla
