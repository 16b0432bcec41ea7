// The scalar meaning of each element-wise opcode, written once for float and double.
// The opcode numbers are a contract: src/backends/native/opcodes.ts mirrors them.
#pragma once

#include <cmath>

#include "vector-math.h"

namespace nabla {

enum Opcode : int {
  kInput = 0,  // dst = inputs[a] at this element
  kConst = 1,  // dst = consts[a]

  kNeg = 10, kAbs = 11, kSign = 12, kSqrt = 13, kSquare = 14, kExp = 15, kLog = 16,
  kLog1p = 17, kTanh = 18, kSigmoid = 19, kSoftplus = 20, kRelu = 21, kReciprocal = 22,
  kExpm1 = 23, kCos = 24, kSin = 25, kFloor = 26, kCopy = 27, kNot = 28, kTrunc = 29,

  kAdd = 40, kSub = 41, kMul = 42, kDiv = 43, kPow = 44, kMaximum = 45, kMinimum = 46,
  kLt = 47, kGt = 48, kLe = 49, kGe = 50, kEq = 51, kNeq = 52, kAnd = 53, kOr = 54, kMod = 55,

  kWhere = 70, kClip = 71,
};

// How many register operands an opcode reads (0 for input and const, whose `a` is an index
// into the inputs or consts), or -1 for an unknown opcode.
inline int operandCount(int op) {
  if (op == kInput || op == kConst) return 0;
  if (op >= kNeg && op <= kTrunc) return 1;
  if (op >= kAdd && op <= kMod) return 2;
  if (op == kWhere || op == kClip) return 3;
  return -1;
}

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

template <class T> inline T truth(bool p) { return p ? T(1) : T(0); }

}  // namespace scalar
}  // namespace nabla
