// Fused element-wise kernel: runs a small register program over every element of a
// broadcast loop, one block of elements at a time.
#pragma once

#include <cstdint>
#include <string>

#include "../dtype.h"

namespace nabla {

constexpr int kRegisters = 64;
constexpr int kMaxRank = 16;
constexpr int kInstructionWidth = 5;  // [opcode, dst, a, b, c]

struct ElementwiseInput {
  const void* data;
  DType dtype;
};

// Input i is read at offsets[i] + Σ_d index[d] * strides[i * rank + d] (in elements); out is
// contiguous with `shape`. The result is the dst register of the last instruction.
struct ElementwiseCall {
  const int32_t* program;
  int instructions;
  const double* consts;
  const ElementwiseInput* inputs;
  int inputCount;
  const int32_t* strides;
  const int32_t* offsets;
  const int32_t* shape;
  int rank;
  void* out;
  DType outType;
};

// Returns a description of the first malformed instruction, or "" when the program is sound:
// known opcodes, registers in range, every register read after it is written.
std::string checkProgram(const int32_t* program, int instructions, int inputCount,
                         int constCount);

// Assumes checkProgram passed and the strides stay inside each input.
void elementwise(const ElementwiseCall& call);

// The sum over all elements of what `elementwise` would write, stored in out[0] (the shape is the
// loop's, not the output's): a reduction fused with the element-wise chain that feeds it.
void elementwiseSum(const ElementwiseCall& call);

}  // namespace nabla
