// Interprets the register program one block of elements at a time: each instruction is a tight
// loop over the block that the compiler vectorises, so dispatch costs once per block, not per
// element. Inputs that are already contiguous in the compute type are read in place.
#include "elementwise.h"

#include <algorithm>
#include <vector>

#include "../parallel.h"
#include "broadcast-layout.h"
#include "instruction-set.h"

namespace nabla {
namespace {

constexpr int kBlock = 512;               // elements per register: 2-4 KiB, several fit in L1
const int64_t& kParallelMin = parallelMinimum(LoopFamily::Elementwise);  // measured (parallel.h)
constexpr int64_t kRowBlockMin = 128;     // shorter rows are cheaper to gather than to split on

struct Instruction {
  int op, dst, a, b, c;
};

// Blocks never cross a row of the innermost dimension when rows are long, so inputs broadcast
// along outer dimensions (a bias) stay contiguous and are read in place.
struct Blocking {
  int64_t count, inner, chunksPerRow, chunk;
  bool rowAligned;

  explicit Blocking(const BroadcastLayout& layout) {
    const int64_t innerExtent = layout.shape[layout.rank - 1];
    rowAligned = layout.rank == 1 || innerExtent >= kRowBlockMin;
    if (rowAligned) {
      inner = innerExtent;
      chunksPerRow = (inner + kBlock - 1) / kBlock;
      chunk = (inner + chunksPerRow - 1) / chunksPerRow;  // equal chunks, no short tail
      count = layout.size / inner * chunksPerRow;
    } else {
      inner = chunksPerRow = chunk = 0;
      count = (layout.size + kBlock - 1) / kBlock;
    }
  }

  void range(int64_t block, const BroadcastLayout& layout, int64_t& start, int& len) const {
    if (rowAligned) {
      const int64_t offset = block % chunksPerRow * chunk;
      start = block / chunksPerRow * inner + offset;
      len = static_cast<int>(std::min(chunk, inner - offset));
    } else {
      start = block * kBlock;
      len = static_cast<int>(std::min<int64_t>(kBlock, layout.size - start));
    }
  }
};

template <class T, class F>
inline void unary(T* d, const T* a, int n, F f) {
  for (int i = 0; i < n; ++i) d[i] = f(a[i]);
}
template <class T, class F>
inline void binary(T* d, const T* a, const T* b, int n, F f) {
  for (int i = 0; i < n; ++i) d[i] = f(a[i], b[i]);
}
template <class T, class F>
inline void ternary(T* d, const T* a, const T* b, const T* c, int n, F f) {
  for (int i = 0; i < n; ++i) d[i] = f(a[i], b[i], c[i]);
}

// One instruction over a block: the switch is generated from the instruction set.
template <class T>
void apply(int op, T* d, const T* a, const T* b, const T* c, int n) {
  using namespace scalar;
#define NABLA_UNARY_CASE(id, name, expr) \
  case k##id: return unary(d, a, n, [](T x) { return expr; });
#define NABLA_BINARY_CASE(id, name, expr) \
  case k##id: return binary(d, a, b, n, [](T x, T y) { return expr; });
#define NABLA_TERNARY_CASE(id, name, expr) \
  case k##id: return ternary(d, a, b, c, n, [](T x, T y, T z) { return expr; });
  switch (op) {
    NABLA_UNARY_OPS(NABLA_UNARY_CASE)
    NABLA_BINARY_OPS(NABLA_BINARY_CASE)
    NABLA_TERNARY_OPS(NABLA_TERNARY_CASE)
  }
#undef NABLA_UNARY_CASE
#undef NABLA_BINARY_CASE
#undef NABLA_TERNARY_CASE
}

template <class T>
struct Plan {
  std::vector<Instruction> program;
  std::vector<std::pair<size_t, T>> fixedValues;  // (instruction, value) for consts and scalars
  BroadcastLayout layout;
  Blocking blocking;
  int registers;  // highest register written + 1

  explicit Plan(const ElementwiseCall& call)
      : layout(coalesce(call)), blocking(layout), registers(0) {
    for (int k = 0; k < call.instructions; ++k) {
      const int32_t* w = call.program + k * kInstructionWidth;
      const int operands = operandCount(w[0]);
      // Unused operand fields may hold anything; 0 keeps the register lookups in range.
      Instruction ins{w[0], w[1], w[2], operands >= 2 ? w[3] : 0, operands >= 3 ? w[4] : 0};
      registers = std::max(registers, ins.dst + 1);
      if (ins.op == kConst) {
        fixedValues.emplace_back(k, static_cast<T>(call.consts[ins.a]));
      } else if (ins.op == kInput && layout.sources[ins.a].scalar) {
        T value;
        loadBlock<T>(layout.sources[ins.a], layout, 0, 1, &value);
        fixedValues.emplace_back(k, value);
      }
      program.push_back(ins);
    }
  }
};

// Per-thread registers. Constants and scalar inputs are filled once here, not once per block.
template <class T>
struct Workspace {
  std::vector<T> scratch;
  std::vector<T> fixedStorage;
  std::vector<const T*> fixed;  // per instruction: its prefilled block, or null
  const T* reg[kRegisters] = {};

  explicit Workspace(const Plan<T>& plan)
      : scratch(static_cast<size_t>(plan.registers) * kBlock),
        fixedStorage(plan.fixedValues.size() * kBlock),
        fixed(plan.program.size(), nullptr) {
    T* block = fixedStorage.data();
    for (const auto& [instruction, value] : plan.fixedValues) {
      std::fill(block, block + kBlock, value);
      fixed[instruction] = block;
      block += kBlock;
    }
  }

  T* scratchFor(int reg) { return scratch.data() + static_cast<size_t>(reg) * kBlock; }
};

// `direct` is where the result may be written in place (the output itself when its element
// type is T), or null; returns where the result ended up.
template <class T>
const T* runBlock(const Plan<T>& plan, Workspace<T>& w, int64_t start, int len, T* direct) {
  const size_t last = plan.program.size() - 1;
  for (size_t k = 0; k <= last; ++k) {
    const Instruction& ins = plan.program[k];
    if (w.fixed[k]) {
      w.reg[ins.dst] = w.fixed[k];
    } else if (ins.op == kInput) {
      w.reg[ins.dst] =
          loadBlock<T>(plan.layout.sources[ins.a], plan.layout, start, len, w.scratchFor(ins.dst));
    } else {
      T* d = (k == last && direct) ? direct : w.scratchFor(ins.dst);
      apply<T>(ins.op, d, w.reg[ins.a], w.reg[ins.b], w.reg[ins.c], len);
      w.reg[ins.dst] = d;
    }
  }
  return w.reg[plan.program[last].dst];
}

// Calls f(workspace, block, start, len) for every block of the loop, the blocks spread over threads.
template <class T, class F>
void forEachBlock(const Plan<T>& plan, F f) {
  parallelFor(plan.blocking.count, plan.layout.size >= kParallelMin, [&](int64_t from, int64_t to) {
    Workspace<T> w(plan);
    for (int64_t b = from; b < to; ++b) {
      int64_t start;
      int len;
      plan.blocking.range(b, plan.layout, start, len);
      f(w, b, start, len);
    }
  });
}

template <class T, class D>
void run(const Plan<T>& plan, D* out) {
  forEachBlock(plan, [&](Workspace<T>& w, int64_t, int64_t start, int len) {
    D* target = out + start;
    T* direct = nullptr;
    if constexpr (std::is_same_v<T, D>) direct = target;
    const T* result = runBlock(plan, w, start, len, direct);
    if (result != direct) {
      for (int i = 0; i < len; ++i) target[i] = storeAs<D>(result[i]);
    }
  });
}

// The sum of the program's results: each block's in T across the vector lanes (a few hundred
// terms, so float keeps about six digits), the blocks' in double and in order, so the total is the
// same whatever the number of threads.
template <class T, class D>
void sum(const Plan<T>& plan, D* out) {
  std::vector<double> partial(plan.blocking.count);
  forEachBlock(plan, [&](Workspace<T>& w, int64_t block, int64_t start, int len) {
    const T* result = runBlock(plan, w, start, len, static_cast<T*>(nullptr));
    T s = 0;
#pragma omp simd reduction(+ : s)
    for (int i = 0; i < len; ++i) s += result[i];
    partial[block] = s;
  });
  double total = 0;
  for (const double p : partial) total += p;
  *out = storeAs<D>(total);
}

bool isEmpty(const ElementwiseCall& call) {
  return std::any_of(call.shape, call.shape + call.rank, [](int32_t extent) { return extent == 0; });
}

// Calls f(plan, out) with a plan computing in the output's float type (double for int32 outputs).
template <class F>
void withPlan(const ElementwiseCall& call, F f) {
  if (call.outType == DType::F32) {
    f(Plan<float>(call), static_cast<float*>(call.out));
  } else if (call.outType == DType::F64) {
    f(Plan<double>(call), static_cast<double*>(call.out));
  } else {
    f(Plan<double>(call), static_cast<int32_t*>(call.out));
  }
}

}  // namespace

std::string checkProgram(const int32_t* program, int instructions, int inputCount,
                         int constCount) {
  if (instructions < 1) return "the program is empty";
  bool written[kRegisters] = {};
  for (int k = 0; k < instructions; ++k) {
    const int32_t* w = program + k * kInstructionWidth;
    auto fail = [&](const std::string& what) {
      return "instruction " + std::to_string(k) + " (opcode " + std::to_string(w[0]) + ") " + what;
    };
    const int operands = operandCount(w[0]);
    if (operands < 0) return fail("is not a known opcode");
    if (w[1] < 0 || w[1] >= kRegisters) return fail("writes register " + std::to_string(w[1]));
    if (w[0] == kInput && (w[2] < 0 || w[2] >= inputCount)) {
      return fail("reads input " + std::to_string(w[2]) + " of " + std::to_string(inputCount));
    }
    if (w[0] == kConst && (w[2] < 0 || w[2] >= constCount)) {
      return fail("reads const " + std::to_string(w[2]) + " of " + std::to_string(constCount));
    }
    for (int j = 0; j < operands; ++j) {
      const int reg = w[2 + j];
      if (reg < 0 || reg >= kRegisters || !written[reg]) {
        return fail("reads register " + std::to_string(reg) + " before it is written");
      }
    }
    written[w[1]] = true;
  }
  return "";
}

void elementwiseSum(const ElementwiseCall& call) {
  if (isEmpty(call)) {
    if (call.outType == DType::F32) *static_cast<float*>(call.out) = 0;
    else if (call.outType == DType::F64) *static_cast<double*>(call.out) = 0;
    else *static_cast<int32_t*>(call.out) = 0;
    return;
  }
  withPlan(call, [](const auto& plan, auto* out) { sum(plan, out); });
}

void elementwise(const ElementwiseCall& call) {
  if (!isEmpty(call)) withPlan(call, [](const auto& plan, auto* out) { run(plan, out); });
}

}  // namespace nabla
