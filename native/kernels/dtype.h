// Element types shared by the N-API glue and the kernels that accept mixed input types.
#pragma once

#include <cmath>
#include <cstdint>
#include <type_traits>

namespace nabla {

enum class DType { F32, F64, I32 };

// Int32 stores follow JS Int32Array semantics (ToInt32): truncate toward zero, NaN and
// infinities become 0, out-of-range values wrap modulo 2^32. In range this is a C cast, and
// it keeps native and the TypeScript reference bit-identical where a cast would be UB.
inline int32_t toInt32(double x) {
  if (x > -2147483649.0 && x < 2147483648.0) return static_cast<int32_t>(x);
  if (!std::isfinite(x)) return 0;
  double wrapped = std::fmod(std::trunc(x), 4294967296.0);
  return static_cast<int32_t>(static_cast<uint32_t>(static_cast<int64_t>(wrapped)));
}

// Converts a computed value to the stored element type.
template <class D, class T>
inline D storeAs(T x) {
  if constexpr (std::is_same_v<D, int32_t>) {
    return toInt32(static_cast<double>(x));
  } else {
    return static_cast<D>(x);
  }
}

}  // namespace nabla
