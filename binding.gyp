{
  # One addon per instruction-set level, the same sources compiled three times, so one build runs on
  # every x86-64: nabla_native (baseline x86-64, SSE2), nabla_native_avx2 (x86-64-v3: AVX2, FMA, BMI2)
  # and nabla_native_avx512 (x86-64-v4: AVX-512 F/BW/CD/DQ/VL). src/backends/native/addon.ts loads the
  # baseline one, asks it what the CPU supports, and then loads the widest level allowed (NABLA_SIMD
  # caps it). Each is a whole shared object, so no code compiled for one level can end up called from
  # another (as a shared inline or template function could if the levels were linked into one).
  # The AVX-512 build is tuned for Ice Lake (tuning only orders instructions; it runs on any AVX-512
  # CPU): with generic tuning our cache-sized gemm kernel ran 30% slower than the -march=native build
  # of before on this Xeon (rbm_pcd15_step 16.5 against 12.3 ms), with Ice Lake's within 10%. 256-bit
  # vectors, as -march=native chose here.
  "variables": {
    "kernel_sources": [
      "native/addon.cc",
      "native/addon-network.cc",
      "native/cpu.cc",
      "native/kernels/elementwise/broadcast-layout.cc",
      "native/kernels/conv/conv.cc",
      "native/kernels/elementwise/elementwise.cc",
      "native/kernels/linalg/eigh.cc",
      "native/kernels/linalg/gemm.cc",
      "native/kernels/random/philox.cc",
      "native/kernels/conv/pool.cc",
      "native/kernels/reduce/reduce.cc",
      "native/kernels/linalg/skinny-gemm.cc",
      "native/kernels/linalg/unpacked-gemm.cc",
      "native/kernels/nnet/softmax.cc"
    ]
  },
  "target_defaults": {
    "sources": ["<@(kernel_sources)"],
    "include_dirs": ["<!(node -p \"require('node-addon-api').include_dir\")"],
    "defines": ["NAPI_VERSION=8", "NAPI_CPP_EXCEPTIONS"],
    "cflags!": ["-fno-exceptions"],
    "cflags_cc!": ["-fno-exceptions"],
    "cflags_cc": [
      "-std=c++17",
      "-fexceptions",
      "-O3",
      "-fno-math-errno",
      "-fopenmp",
      "-Wall",
      "-Wextra",
      "-Wno-unused-parameter"
    ],
    "libraries": [
      "-L/usr/lib/x86_64-linux-gnu/openblas-openmp",
      "-Wl,-rpath,/usr/lib/x86_64-linux-gnu/openblas-openmp",
      "-lopenblas",
      "-lgomp",
      "-lmvec"
    ],
    "ldflags": ["-fopenmp"]
  },
  "targets": [
    {
      "target_name": "nabla_native",
      "defines": ["NABLA_SIMD_LEVEL=\"baseline\""],
      "cflags_cc": ["-march=x86-64", "-mtune=generic"]
    },
    {
      "target_name": "nabla_native_avx2",
      "defines": ["NABLA_SIMD_LEVEL=\"avx2\""],
      "cflags_cc": ["-march=x86-64-v3", "-mtune=generic"]
    },
    {
      "target_name": "nabla_native_avx512",
      "defines": ["NABLA_SIMD_LEVEL=\"avx512\""],
      "cflags_cc": ["-march=x86-64-v4", "-mtune=icelake-server", "-mprefer-vector-width=256"]
    }
  ]
}
