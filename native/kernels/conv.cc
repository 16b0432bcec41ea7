// im2col + gemm, a chunk of images at a time. The column matrix reads the input with the kernel
// index reversed, so w multiplies it as stored: out[k, p] = Σ_q w[k, q] · col[q, p] with
// q = (c, u, v) and col[(c,u,v), (i,j)] = x[c, i + kh-1-u - padH, j + kw-1-v - padW]. Images
// of a chunk sit side by side in col's columns, making one wide gemm instead of many small ones.
#include "conv.h"

#include <algorithm>
#include <cstring>
#include <vector>

#include "gemm.h"

namespace nabla {
namespace {

// Bounds col (and the gemm result) per chunk: big enough that gemm runs at full speed, small
// enough to stay in the last-level cache.
constexpr int64_t kChunkElements = 1 << 20;

// Buffers reused across calls: a fresh multi-megabyte allocation per call costs page faults
// comparable to the convolution itself. thread_local keeps worker-thread callers apart.
template <class T>
T* scratch(int slot, size_t elements) {
  thread_local std::vector<T> buffers[2];
  if (buffers[slot].size() < elements) buffers[slot].resize(elements);
  return buffers[slot].data();
}

struct Chunking {
  int64_t pixels, taps, images;  // per image: outH·outW and C·kh·kw; images per chunk

  explicit Chunking(const ConvShape& s)
      : pixels(s.outH() * s.outW()), taps(s.C * s.kh * s.kw) {
    images = std::clamp<int64_t>(kChunkElements / std::max<int64_t>(1, taps * pixels), 1, s.B);
  }
};

// Fills the columns of image `b` (of `images` in the chunk) for input channel c.
template <class T>
void im2col(const ConvShape& s, const T* image, int64_t c, int64_t b, const Chunking& chunk,
            T* col) {
  const int64_t oh = s.outH(), ow = s.outW();
  const int64_t ld = chunk.images * chunk.pixels;
  for (int64_t u = 0; u < s.kh; ++u) {
    for (int64_t v = 0; v < s.kw; ++v) {
      T* row = col + ((c * s.kh + u) * s.kw + v) * ld + b * chunk.pixels;
      const int64_t dy = s.kh - 1 - u - s.padH();
      const int64_t dx = s.kw - 1 - v - s.padW();
      // Output columns j whose source column j + dx lies inside the image.
      const int64_t j0 = std::clamp<int64_t>(-dx, 0, ow);
      const int64_t j1 = std::clamp<int64_t>(s.W - dx, j0, ow);
      for (int64_t i = 0; i < oh; ++i) {
        T* target = row + i * ow;
        const int64_t y = i + dy;
        if (y < 0 || y >= s.H) {
          std::fill(target, target + ow, T(0));
          continue;
        }
        const T* source = image + (c * s.H + y) * s.W + dx;
        std::fill(target, target + j0, T(0));
        std::copy(source + j0, source + j1, target + j0);
        std::fill(target + j1, target + ow, T(0));
      }
    }
  }
}

template <class T>
void im2colChunk(const ConvShape& s, const T* x, int64_t first, int64_t count,
                 const Chunking& chunk, T* col) {
  const int64_t imageSize = s.C * s.H * s.W;
#pragma omp parallel for collapse(2) schedule(static)
  for (int64_t b = 0; b < count; ++b) {
    for (int64_t c = 0; c < s.C; ++c) im2col(s, x + (first + b) * imageSize, c, b, chunk, col);
  }
}

}  // namespace

template <class T>
void conv2d(const ConvShape& s, const T* x, const T* w, T* out) {
  const Chunking chunk(s);
  const int64_t P = chunk.pixels;
  T* col = scratch<T>(0, chunk.taps * chunk.images * P);
  T* product = scratch<T>(1, s.K * chunk.images * P);
  for (int64_t first = 0; first < s.B; first += chunk.images) {
    const int64_t count = std::min(chunk.images, s.B - first);
    const int64_t ld = chunk.images * P;
    im2colChunk(s, x, first, count, chunk, col);
    gemm<T>(false, false, s.K, count * P, chunk.taps, T(1), w, chunk.taps, col, ld, T(0),
            product, ld);
    // product is [K, images, P]; out wants [images, K, P].
#pragma omp parallel for collapse(2) schedule(static)
    for (int64_t b = 0; b < count; ++b) {
      for (int64_t k = 0; k < s.K; ++k) {
        std::memcpy(out + ((first + b) * s.K + k) * P, product + k * ld + b * P, P * sizeof(T));
      }
    }
  }
}

// gw[k, q] = Σ_b Σ_p gy[b, k, p] · col_b[q, p]: the forward product's derivative, accumulated
// over chunks by gemm's beta.
template <class T>
void conv2dWeightGrad(const ConvShape& s, const T* x, const T* gy, T* gw) {
  const Chunking chunk(s);
  const int64_t P = chunk.pixels;
  T* col = scratch<T>(0, chunk.taps * chunk.images * P);
  T* gyChunk = scratch<T>(1, s.K * chunk.images * P);
  if (s.B == 0) std::fill(gw, gw + s.K * chunk.taps, T(0));
  for (int64_t first = 0; first < s.B; first += chunk.images) {
    const int64_t count = std::min(chunk.images, s.B - first);
    const int64_t ld = chunk.images * P;
    im2colChunk(s, x, first, count, chunk, col);
#pragma omp parallel for collapse(2) schedule(static)
    for (int64_t b = 0; b < count; ++b) {
      for (int64_t k = 0; k < s.K; ++k) {
        std::memcpy(gyChunk + k * ld + b * P, gy + ((first + b) * s.K + k) * P, P * sizeof(T));
      }
    }
    gemm<T>(false, true, s.K, chunk.taps, count * P, T(1), gyChunk, ld, col, ld,
            first == 0 ? T(0) : T(1), gw, chunk.taps);
  }
}

template void conv2d<float>(const ConvShape&, const float*, const float*, float*);
template void conv2d<double>(const ConvShape&, const double*, const double*, double*);
template void conv2dWeightGrad<float>(const ConvShape&, const float*, const float*, float*);
template void conv2dWeightGrad<double>(const ConvShape&, const double*, const double*, double*);

}  // namespace nabla
