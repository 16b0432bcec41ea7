// Reductions over the middle axis of a contiguous [outer, n, inner] view into [outer, inner].
#pragma once

#include <cstdint>
#include <string>
#include <utility>

namespace nabla {

enum class ReduceOp { Sum, Prod, Max, Min, Argmax, Argmin };

// The reductions by their ops' names in src/ops/reduce.ts: the addon is called with the name, so no
// number stands for a reduction on either side.
inline bool reduceOpNamed(const std::string& name, ReduceOp* op) {
  static const std::pair<const char*, ReduceOp> kNames[] = {
      {"sum", ReduceOp::Sum}, {"prod", ReduceOp::Prod},     {"max", ReduceOp::Max},
      {"min", ReduceOp::Min}, {"argmax", ReduceOp::Argmax}, {"argmin", ReduceOp::Argmin},
  };
  for (const auto& [known, value] : kNames) {
    if (name == known) {
      *op = value;
      return true;
    }
  }
  return false;
}

// Value reductions write the input's element type; float sums and products accumulate in
// double. max/min propagate NaN; argmax/argmin write int32 indices of the first extreme (or of
// the first NaN). n == 0 gives the identity (0, 1, -inf, +inf) or index -1.
template <class T>
void reduce(ReduceOp op, const T* x, int64_t outer, int64_t n, int64_t inner, T* out);

template <class T>
void argReduce(ReduceOp op, const T* x, int64_t outer, int64_t n, int64_t inner, int32_t* out);

}  // namespace nabla
