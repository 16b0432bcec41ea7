// What the running CPU supports, for choosing which build of the addon to load (binding.gyp builds
// one per instruction-set level) and for `nabla info`.
#pragma once

#include <string>
#include <vector>

namespace nabla {

// The instruction-set level this copy of the addon was compiled for: "baseline", "avx2" or "avx512".
const char* compiledLevel();

// The widest level the CPU and the operating system support, by the same names.
const char* supportedLevel();

// The SIMD features present, among those the levels are made of (sse4.2, avx, avx2, fma, avx512f, ...).
std::vector<std::string> cpuFeatures();

// The processor's brand string (cpuid), e.g. "Intel(R) Xeon(R) Processor".
std::string cpuModel();

// When this copy of the addon was compiled: a rebuilt addon may have faster kernels, so the gemm
// calibration cached for the old one no longer applies.
const char* buildStamp();

}  // namespace nabla
