{
  "targets": [
    {
      "target_name": "nabla_native",
      "sources": [
        "native/addon.cc",
        "native/addon-network.cc",
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
      ],
      "include_dirs": ["<!(node -p \"require('node-addon-api').include_dir\")"],
      "defines": ["NAPI_VERSION=8", "NAPI_CPP_EXCEPTIONS"],
      "cflags!": ["-fno-exceptions"],
      "cflags_cc!": ["-fno-exceptions"],
      "cflags_cc": [
        "-std=c++17",
        "-fexceptions",
        "-O3",
        "-march=native",
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
    }
  ]
}
