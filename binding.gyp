{
  "targets": [
    {
      "target_name": "nabla_native",
      "sources": [
        "native/addon.cc",
        "native/addon-network.cc",
        "native/kernels/broadcast-layout.cc",
        "native/kernels/conv.cc",
        "native/kernels/elementwise.cc",
        "native/kernels/gemm.cc",
        "native/kernels/philox.cc",
        "native/kernels/pool.cc",
        "native/kernels/reduce.cc",
        "native/kernels/skinny-gemm.cc",
        "native/kernels/unpacked-gemm.cc",
        "native/kernels/softmax.cc"
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
