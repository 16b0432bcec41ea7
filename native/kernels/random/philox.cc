// Philox4x32-10: ten rounds of two 32x32→64 multiplies, with a Weyl sequence on the key.
#include "philox.h"

#include "../parallel.h"

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

template <class T>
void philoxUniform(uint32_t seed, uint32_t stream, uint32_t counter, T* out, int64_t n) {
  parallelFor((n + 3) / 4, n >= kParallelMin, [&](int64_t from, int64_t to) {
    for (int64_t block = from; block < to; ++block) {
      const PhiloxWords words = philoxBlock(
          {static_cast<uint32_t>(block), static_cast<uint32_t>(static_cast<uint64_t>(block) >> 32),
           counter, 0},
          seed, stream);
      for (int64_t w = 0; w < 4 && block * 4 + w < n; ++w) {
        out[block * 4 + w] = static_cast<T>(((words[w] >> 9) + 0.5) * 0x1p-23);
      }
    }
  });
}

template void philoxUniform<float>(uint32_t, uint32_t, uint32_t, float*, int64_t);
template void philoxUniform<double>(uint32_t, uint32_t, uint32_t, double*, int64_t);

}  // namespace nabla
