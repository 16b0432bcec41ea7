// Philox4x32-10 counter-based generator (Salmon et al. 2011, Random123). The TypeScript
// generator in src/random/ produces the same bits, so every backend draws the same numbers.
#pragma once

#include <array>
#include <cstdint>

namespace nabla {

using PhiloxWords = std::array<uint32_t, 4>;

PhiloxWords philoxBlock(PhiloxWords counter, uint32_t key0, uint32_t key1);

// Element i is word i % 4 of the block with counter (i / 4 low, i / 4 high, counter, 0) and
// key (seed, stream), mapped to ((word >> 9) + 0.5) · 2^-23: 24 significant bits, exact in float and
// double, so no draw rounds to 0 or 1 and src/random/philox.ts gives the same bits.
template <class T>
void philoxUniform(uint32_t seed, uint32_t stream, uint32_t counter, T* out, int64_t n);

}  // namespace nabla
