#include "cpu.h"

#include <cpuid.h>

#include <cstring>

#ifndef NABLA_SIMD_LEVEL
#define NABLA_SIMD_LEVEL "baseline"
#endif

namespace nabla {

const char* compiledLevel() { return NABLA_SIMD_LEVEL; }

const char* buildStamp() { return __DATE__ " " __TIME__; }

// __builtin_cpu_supports checks the operating system saves the wider registers too (xgetbv), not
// only that the CPU has them. GCC 12 knows the x86-64 micro-architecture levels binding.gyp compiles
// for by name; before it, their main features stand in for them.
const char* supportedLevel() {
  __builtin_cpu_init();
#if __GNUC__ >= 12
  if (__builtin_cpu_supports("x86-64-v4")) return "avx512";
  if (__builtin_cpu_supports("x86-64-v3")) return "avx2";
#else
  if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
      __builtin_cpu_supports("avx512dq") && __builtin_cpu_supports("avx512vl") &&
      __builtin_cpu_supports("avx512cd")) {
    return "avx512";
  }
  if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma") &&
      __builtin_cpu_supports("bmi") && __builtin_cpu_supports("bmi2")) {
    return "avx2";
  }
#endif
  return "baseline";
}

std::vector<std::string> cpuFeatures() {
  __builtin_cpu_init();
  std::vector<std::string> present;
  // __builtin_cpu_supports wants a string literal, so each feature is spelt out.
#define NABLA_FEATURE(name) \
  if (__builtin_cpu_supports(name)) present.emplace_back(name);
  NABLA_FEATURE("sse4.2")
  NABLA_FEATURE("avx")
  NABLA_FEATURE("avx2")
  NABLA_FEATURE("fma")
  NABLA_FEATURE("bmi2")
  NABLA_FEATURE("avx512f")
  NABLA_FEATURE("avx512bw")
  NABLA_FEATURE("avx512dq")
  NABLA_FEATURE("avx512vl")
  NABLA_FEATURE("avx512vnni")
  NABLA_FEATURE("avx512bf16")
#undef NABLA_FEATURE
  return present;
}

std::string cpuModel() {
  unsigned int words[12] = {};
  if (__get_cpuid_max(0x80000000u, nullptr) < 0x80000004u) return "unknown";
  for (unsigned int leaf = 0; leaf < 3; ++leaf) {
    __get_cpuid(0x80000002u + leaf, &words[4 * leaf], &words[4 * leaf + 1], &words[4 * leaf + 2],
                &words[4 * leaf + 3]);
  }
  char brand[49] = {};
  std::memcpy(brand, words, 48);
  std::string model(brand);
  const size_t first = model.find_first_not_of(' '), last = model.find_last_not_of(' ');
  return first == std::string::npos ? "unknown" : model.substr(first, last - first + 1);
}

}  // namespace nabla
