// Scalar helpers shared by the kernels, written once for float and double: the NaN-propagating
// maximum and minimum, and the numerically careful forms of sigmoid, softplus and floored modulo.
#pragma once

#include <cmath>

#include "vector-math.h"

namespace nabla {
namespace scalar {

// maximum/minimum propagate NaN from either side, as Math.max and numpy.maximum do.
template <class T> inline T maximum(T a, T b) { return (a > b || a != a) ? a : b; }
template <class T> inline T minimum(T a, T b) { return (a < b || a != a) ? a : b; }

// sign(±0) = 0 and sign(NaN) = NaN fall out of returning x itself.
template <class T> inline T sign(T x) { return x > 0 ? T(1) : x < 0 ? T(-1) : x; }

// exp(-|x|) never overflows. Selecting instead of branching keeps the loops branch-free (a
// mispredicted sign costs more than the exp) and lets them vectorise.
template <class T> inline T sigmoid(T x) {
  const T e = std::exp(-std::abs(x));
  const T r = T(1) / (T(1) + e);
  return x >= 0 ? r : e * r;
}

// log(1 + e^x) = max(x, 0) + log(1 + e^-|x|), which cannot overflow.
template <class T> inline T softplus(T x) {
  return maximum(x, T(0)) + std::log1p(std::exp(-std::abs(x)));
}

// Floored modulo, like Python's %: the result takes the sign of the divisor.
template <class T> inline T mod(T a, T b) {
  T r = std::fmod(a, b);
  return (r != 0 && ((r < 0) != (b < 0))) ? r + b : r;
}

// A float cast to int32 as JAX (XLA) does: toward zero, saturating at the int32 range, NaN to 0.
// The value stays in T; the int32 store that follows is then exact.
template <class T> inline T truncToInt32(T x) {
  if (x != x) return T(0);
  return std::trunc(x < T(-2147483648.0) ? T(-2147483648.0) : x > T(2147483647.0) ? T(2147483647.0) : x);
}

template <class T> inline T truth(bool p) { return p ? T(1) : T(0); }

}  // namespace scalar
}  // namespace nabla
