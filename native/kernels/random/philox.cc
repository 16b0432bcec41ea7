// Philox4x32-10: ten rounds of two 32x32→64 multiplies, with a Weyl sequence on the key.
#include "philox.h"

#include "../parallel.h"

#include <immintrin.h>

#include <algorithm>
#include <type_traits>

namespace nabla {
namespace {

constexpr uint32_t kMultiplier0 = 0xD2511F53, kMultiplier1 = 0xCD9E8D57;
constexpr uint32_t kWeyl0 = 0x9E3779B9, kWeyl1 = 0xBB67AE85;
constexpr int64_t kParallelMin = 1 << 16;

}  // namespace

PhiloxWords philoxBlock(PhiloxWords c, uint32_t key0, uint32_t key1) {
  for (int round = 0; round < 10; ++round) {
    const uint64_t p0 = static_cast<uint64_t>(kMultiplier0) * c[0];
    const uint64_t p1 = static_cast<uint64_t>(kMultiplier1) * c[2];
    c = {static_cast<uint32_t>(p1 >> 32) ^ c[1] ^ key0, static_cast<uint32_t>(p1),
         static_cast<uint32_t>(p0 >> 32) ^ c[3] ^ key1, static_cast<uint32_t>(p0)};
    key0 += kWeyl0;
    key1 += kWeyl1;
  }
  return c;
}

// Word w of a block, mapped to ((word >> 9) + 0.5) · 2^-23.
template <class T>
T uniformOf(uint32_t word) {
  return static_cast<T>(((word >> 9) + 0.5) * 0x1p-23);
}

template <class T>
void philoxBlocks(uint32_t seed, uint32_t stream, uint32_t counter, T* out, int64_t n, int64_t from, int64_t to) {
  for (int64_t block = from; block < to; ++block) {
    const PhiloxWords words = philoxBlock(
        {static_cast<uint32_t>(block), static_cast<uint32_t>(static_cast<uint64_t>(block) >> 32), counter, 0},
        seed, stream);
    for (int64_t w = 0; w < 4 && block * 4 + w < n; ++w) out[block * 4 + w] = uniformOf<T>(words[w]);
  }
}

#ifdef __AVX512F__
// GCC 12's AVX-512 headers warn of their own placeholder operands (_mm512_undefined_*).
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
// In the AVX-512 build, sixteen blocks at once in AVX-512 registers, one register per word:
// _mm512_mul_epu32 forms the 64-bit products of the even 32-bit lanes, and of the odd ones once shifted
// down; blends put the halves back. The same bits as philoxBlock, for blocks from .. to - 1.
void philoxBlocksAvx512(uint32_t seed, uint32_t stream, uint32_t counter, float* out, int64_t n, int64_t from,
                        int64_t to) {
  const __m512i m0 = _mm512_set1_epi64(kMultiplier0), m1 = _mm512_set1_epi64(kMultiplier1);
  const __m512i lane = _mm512_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
  const __m512 half = _mm512_set1_ps(0.5f), scale = _mm512_set1_ps(0x1p-23f);
  alignas(64) float values[4][16];
  for (int64_t first = from; first < to; first += 16) {
    __m512i c0 = _mm512_add_epi32(_mm512_set1_epi32(static_cast<int>(first)), lane);
    __m512i c1 = _mm512_set1_epi32(static_cast<int>(static_cast<uint64_t>(first) >> 32));
    c1 = _mm512_mask_add_epi32(c1, _mm512_cmplt_epu32_mask(c0, lane), c1, _mm512_set1_epi32(1));  // carry
    __m512i c2 = _mm512_set1_epi32(static_cast<int>(counter)), c3 = _mm512_setzero_si512();
    uint32_t key0 = seed, key1 = stream;
    for (int round = 0; round < 10; ++round) {
      const __m512i e0 = _mm512_mul_epu32(c0, m0), o0 = _mm512_mul_epu32(_mm512_srli_epi64(c0, 32), m0);
      const __m512i e1 = _mm512_mul_epu32(c2, m1), o1 = _mm512_mul_epu32(_mm512_srli_epi64(c2, 32), m1);
      const __m512i lo0 = _mm512_mask_blend_epi32(0xAAAA, e0, _mm512_slli_epi64(o0, 32));
      const __m512i hi0 = _mm512_mask_blend_epi32(0xAAAA, _mm512_srli_epi64(e0, 32), o0);
      const __m512i lo1 = _mm512_mask_blend_epi32(0xAAAA, e1, _mm512_slli_epi64(o1, 32));
      const __m512i hi1 = _mm512_mask_blend_epi32(0xAAAA, _mm512_srli_epi64(e1, 32), o1);
      c0 = _mm512_xor_si512(_mm512_xor_si512(hi1, c1), _mm512_set1_epi32(static_cast<int>(key0)));
      c1 = lo1;
      c2 = _mm512_xor_si512(_mm512_xor_si512(hi0, c3), _mm512_set1_epi32(static_cast<int>(key1)));
      c3 = lo0;
      key0 += kWeyl0;
      key1 += kWeyl1;
    }
    const __m512i words[4] = {c0, c1, c2, c3};
    for (int w = 0; w < 4; ++w) {
      const __m512 u = _mm512_cvtepi32_ps(_mm512_srli_epi32(words[w], 9));
      _mm512_store_ps(values[w], _mm512_mul_ps(_mm512_add_ps(u, half), scale));
    }
    const int64_t count = std::min<int64_t>(16, to - first);
    for (int64_t l = 0; l < count; ++l) {
      for (int w = 0; w < 4 && (first + l) * 4 + w < n; ++w) out[(first + l) * 4 + w] = values[w][l];
    }
  }
}
#pragma GCC diagnostic pop
#endif

template <class T>
void philoxUniform(uint32_t seed, uint32_t stream, uint32_t counter, T* out, int64_t n) {
  const int64_t blocks = (n + 3) / 4, groups = (blocks + 15) / 16;
  parallelFor(groups, n >= kParallelMin, [&](int64_t from, int64_t to) {
    const int64_t first = from * 16, last = std::min(blocks, to * 16);
#ifdef __AVX512F__
    if constexpr (std::is_same_v<T, float>) return philoxBlocksAvx512(seed, stream, counter, out, n, first, last);
#endif
    philoxBlocks(seed, stream, counter, out, n, first, last);
  });
}

template void philoxUniform<float>(uint32_t, uint32_t, uint32_t, float*, int64_t);
template void philoxUniform<double>(uint32_t, uint32_t, uint32_t, double*, int64_t);

}  // namespace nabla
