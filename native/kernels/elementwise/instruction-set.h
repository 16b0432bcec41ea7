// The element-wise instruction set: each op's scalar meaning in one list, for float and double.
// An entry is (Id, "name", expression of x, y, z); the name is the op's in src/ops/elementwise.ts.
// The opcodes are the entries' positions: the addon hands the names with their numbers to
// TypeScript when it loads (addon.opcodes), so no opcode number is written anywhere by hand.
// Adding an op: one line in the list of its arity.
#pragma once

#include <cmath>

#include "../scalar.h"

// copy and trunc are the loop's own (cast and broadcast), not ops.
#define NABLA_UNARY_OPS(X)                      \
  X(Neg, "neg", -x)                             \
  X(Abs, "abs", std::abs(x))                    \
  X(Sign, "sign", sign(x))                      \
  X(Sqrt, "sqrt", std::sqrt(x))                 \
  X(Square, "square", x * x)                    \
  X(Exp, "exp", std::exp(x))                    \
  X(Expm1, "expm1", std::expm1(x))              \
  X(Log, "log", std::log(x))                    \
  X(Log1p, "log1p", std::log1p(x))              \
  X(Tanh, "tanh", std::tanh(x))                 \
  X(Sigmoid, "sigmoid", sigmoid(x))             \
  X(Softplus, "softplus", softplus(x))          \
  X(Relu, "relu", maximum(x, T(0)))             \
  X(Softsign, "softsign", x / (T(1) + std::abs(x))) \
  X(Reciprocal, "reciprocal", T(1) / x)         \
  X(Cos, "cos", std::cos(x))                    \
  X(Sin, "sin", std::sin(x))                    \
  X(Floor, "floor", std::floor(x))              \
  X(Not, "not", truth<T>(x == 0))               \
  X(Copy, "copy", x)                            \
  X(Trunc, "trunc", truncToInt32(x))

#define NABLA_BINARY_OPS(X)                             \
  X(Add, "add", x + y)                                  \
  X(Sub, "sub", x - y)                                  \
  X(Mul, "mul", x * y)                                  \
  X(Div, "div", x / y)                                  \
  X(Pow, "pow", std::pow(x, y))                         \
  X(Maximum, "maximum", maximum(x, y))                  \
  X(Minimum, "minimum", minimum(x, y))                  \
  X(Mod, "mod", mod(x, y))                              \
  X(Lt, "lt", truth<T>(x < y))                          \
  X(Gt, "gt", truth<T>(x > y))                          \
  X(Le, "le", truth<T>(x <= y))                         \
  X(Ge, "ge", truth<T>(x >= y))                         \
  X(Eq, "eq", truth<T>(x == y))                         \
  X(Neq, "neq", truth<T>(x != y))                       \
  X(And, "and", truth<T>(x != 0 && y != 0))             \
  X(Or, "or", truth<T>(x != 0 || y != 0))

#define NABLA_TERNARY_OPS(X)                            \
  X(Where, "where", x != 0 ? y : z)                     \
  X(Clip, "clip", minimum(maximum(x, y), z))

namespace nabla {

#define NABLA_ENUMERATOR(id, name, expr) k##id,
enum Opcode : int {
  kInput,  // dst = inputs[a] at this element
  kConst,  // dst = consts[a]
  NABLA_UNARY_OPS(NABLA_ENUMERATOR)
  NABLA_BINARY_OPS(NABLA_ENUMERATOR)
  NABLA_TERNARY_OPS(NABLA_ENUMERATOR)
  kOpcodeCount
};
#undef NABLA_ENUMERATOR

struct OpcodeInfo {
  const char* name;
  int operands;  // registers read; input and const read an index into the inputs or consts instead
};

#define NABLA_UNARY_INFO(id, name, expr) {name, 1},
#define NABLA_BINARY_INFO(id, name, expr) {name, 2},
#define NABLA_TERNARY_INFO(id, name, expr) {name, 3},
inline constexpr OpcodeInfo kOpcodes[kOpcodeCount] = {
  {"input", 0}, {"const", 0},
  NABLA_UNARY_OPS(NABLA_UNARY_INFO)
  NABLA_BINARY_OPS(NABLA_BINARY_INFO)
  NABLA_TERNARY_OPS(NABLA_TERNARY_INFO)
};
#undef NABLA_UNARY_INFO
#undef NABLA_BINARY_INFO
#undef NABLA_TERNARY_INFO

// How many registers an opcode reads, or -1 for an unknown opcode.
inline int operandCount(int op) { return op >= 0 && op < kOpcodeCount ? kOpcodes[op].operands : -1; }

}  // namespace nabla
