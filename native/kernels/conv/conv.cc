// im2col + gemm over chunks of images. The column matrix reads the input with the kernel index
// reversed, so w multiplies it as stored: out[k, p] = Σ_q w[k, q] · col[q, p] with q = (c, u, v)
// and col[(c,u,v), (i,j)] = x[c, i + kh-1-u - padH, j + kw-1-v - padW]. The images of a chunk sit
// side by side in col's columns, making one wide gemm instead of many small ones.
#include "conv.h"

#include <omp.h>

#include <algorithm>
#include <cstring>
#include <vector>

#include "../linalg/gemm.h"
#include "../parallel.h"

namespace nabla {
namespace {

// Per-chunk working set (col plus the gemm operand or result) in elements: about 1 MiB of
// float32, so a chunk stays in one core's L2 while gemm reads it.
constexpr int64_t kChunkElements = 1 << 18;

// Buffers reused across calls: a fresh multi-megabyte allocation per call costs page faults
// comparable to the convolution itself. thread_local gives each OpenMP thread its own.
enum Slot { kColumns, kProduct };
template <class T>
T* scratch(Slot slot, int64_t elements) {
  thread_local std::vector<T> buffers[2];
  if (buffers[slot].size() < static_cast<size_t>(elements)) buffers[slot].resize(elements);
  return buffers[slot].data();
}

struct Chunking {
  int64_t pixels, taps;    // per image: outH·outW output pixels, C·kh·kw taps per pixel
  int64_t images, count;   // images per chunk, chunks
  bool perThread;  // chunks run on separate threads (single-threaded gemm) rather than in turn

  explicit Chunking(const ConvShape& s) : pixels(s.outH() * s.outW()), taps(s.C * s.kh * s.kw) {
    const int64_t perImage = (taps + s.K) * pixels;
    images = std::clamp<int64_t>(kChunkElements / std::max<int64_t>(1, perImage), 1,
                                 std::max<int64_t>(1, s.B));
    count = (s.B + images - 1) / images;
    // With too few chunks to go round, OpenBLAS threads each gemm instead.
    perThread = convChunksPerThread() && omp_get_max_threads() > 1 && count >= 2 * omp_get_max_threads();
  }
  int64_t width() const { return images * pixels; }  // leading dimension of col and product
};

// Runs body(first image, image count) for each chunk. Inside the per-thread region, gemm (OpenMP
// OpenBLAS) and the nested loops below see an active parallel region and stay single-threaded.
template <class F>
void forEachChunk(const ConvShape& s, const Chunking& chunk, F body) {
  auto run = [&](int64_t c) {
    body(c * chunk.images, std::min(chunk.images, s.B - c * chunk.images));
  };
  if (chunk.perThread) {
#pragma omp parallel for schedule(dynamic)
    for (int64_t c = 0; c < chunk.count; ++c) run(c);
  } else {
    for (int64_t c = 0; c < chunk.count; ++c) run(c);
  }
}

// Where tap (u, v) of the kernel reads the image: output pixel (i, j) pairs with image element
// (i + dy, j + dx), which lies inside the image for rows [i0, i1) and columns [j0, j1) of the
// output; everything else reads the zero padding.
struct Tap {
  int64_t dy, dx, i0, i1, j0, j1;

  Tap(const ConvShape& s, int64_t u, int64_t v)
      : dy(s.kh - 1 - u - s.padH()), dx(s.kw - 1 - v - s.padW()) {
    i0 = std::clamp<int64_t>(-dy, 0, s.outH());
    i1 = std::clamp<int64_t>(s.H - dy, i0, s.outH());
    j0 = std::clamp<int64_t>(-dx, 0, s.outW());
    j1 = std::clamp<int64_t>(s.W - dx, j0, s.outW());
  }
};

// Calls f(tap, its oh×ow block of col for this image) for every tap of channel c.
template <class Columns, class F>
void forEachTap(const ConvShape& s, int64_t c, Columns columns, int64_t width, F f) {
  for (int64_t u = 0; u < s.kh; ++u) {
    for (int64_t v = 0; v < s.kw; ++v) {
      f(Tap(s, u, v), columns + ((c * s.kh + u) * s.kw + v) * width);
    }
  }
}

// Calls f(b, c) for each image of a chunk and each of `channels`, in parallel.
template <class F>
void forEachPlane(int64_t count, int64_t channels, F f) {
  parallelFor(count * channels, true, [&](int64_t from, int64_t to) {
    for (int64_t i = from; i < to; ++i) f(i / channels, i % channels);
  });
}

// Fills a tap's oh×ow block of col from the image plane. Rows are often only 8-24 long, so
// the pointers are marked non-aliasing: no run-time overlap checks per row.
template <class T>
void fillTap(T* __restrict block, const T* __restrict plane, const Tap& t, int64_t oh, int64_t ow,
             int64_t W) {
  for (int64_t k = 0; k < t.i0 * ow; ++k) block[k] = T(0);
  for (int64_t i = t.i0; i < t.i1; ++i) {
    T* row = block + i * ow;
    const T* source = plane + (i + t.dy) * W + t.dx;
    for (int64_t j = 0; j < t.j0; ++j) row[j] = T(0);
    for (int64_t j = t.j0; j < t.j1; ++j) row[j] = source[j];
    for (int64_t j = t.j1; j < ow; ++j) row[j] = T(0);
  }
  for (int64_t k = t.i1 * ow; k < oh * ow; ++k) block[k] = T(0);
}

// Adds a tap's block back onto the image plane it was read from.
template <class T>
void addTap(T* __restrict plane, const T* __restrict block, const Tap& t, int64_t ow, int64_t W) {
  for (int64_t i = t.i0; i < t.i1; ++i) {
    T* target = plane + (i + t.dy) * W + t.dx;
    const T* row = block + i * ow;
    for (int64_t j = t.j0; j < t.j1; ++j) target[j] += row[j];
  }
}

template <class T>
void im2col(const ConvShape& s, const T* x, int64_t first, int64_t count, const Chunking& chunk,
            T* col) {
  forEachPlane(count, s.C, [&](int64_t b, int64_t c) {
    const T* plane = x + ((first + b) * s.C + c) * s.H * s.W;
    forEachTap(s, c, col + b * chunk.pixels, chunk.width(), [&](const Tap& t, T* block) {
      fillTap(block, plane, t, s.outH(), s.outW(), s.W);
    });
  });
}

// The adjoint of im2col: adds each column entry back onto the input element it was read from.
// Plane (b, c) only receives channel c's taps, so planes are independent tasks.
template <class T>
void col2im(const ConvShape& s, const T* col, int64_t first, int64_t count, const Chunking& chunk,
            T* gx) {
  forEachPlane(count, s.C, [&](int64_t b, int64_t c) {
    T* plane = gx + ((first + b) * s.C + c) * s.H * s.W;
    std::fill(plane, plane + s.H * s.W, T(0));
    forEachTap(s, c, col + b * chunk.pixels, chunk.width(),
               [&](const Tap& t, const T* block) { addTap(plane, block, t, s.outW(), s.W); });
  });
}

// A chunk of a [B, K, P] batch (gy, or the output) regrouped as [K, images·P], and back.
template <class T>
void toGrouped(const ConvShape& s, const Chunking& chunk, int64_t first, int64_t count,
               const T* batch, T* grouped) {
  const int64_t P = chunk.pixels;
  forEachPlane(count, s.K, [&](int64_t b, int64_t k) {
    std::memcpy(grouped + k * chunk.width() + b * P, batch + ((first + b) * s.K + k) * P,
                P * sizeof(T));
  });
}

template <class T>
void fromGrouped(const ConvShape& s, const Chunking& chunk, int64_t first, int64_t count,
                 const T* grouped, T* batch) {
  const int64_t P = chunk.pixels;
  forEachPlane(count, s.K, [&](int64_t b, int64_t k) {
    std::memcpy(batch + ((first + b) * s.K + k) * P, grouped + k * chunk.width() + b * P,
                P * sizeof(T));
  });
}

}  // namespace

template <class T>
void conv2d(const ConvShape& s, const T* x, const T* w, T* out) {
  const Chunking chunk(s);
  forEachChunk(s, chunk, [&](int64_t first, int64_t count) {
    T* col = scratch<T>(kColumns, chunk.taps * chunk.width());
    T* product = scratch<T>(kProduct, s.K * chunk.width());
    im2col(s, x, first, count, chunk, col);
    gemm<T>(false, false, s.K, count * chunk.pixels, chunk.taps, T(1), w, chunk.taps, col,
            chunk.width(), T(0), product, chunk.width());
    fromGrouped(s, chunk, first, count, product, out);
  });
}

// gw[k, q] = Σ_b Σ_p gy[b, k, p] · col_b[q, p]. Each thread sums a fixed share of the chunks
// into its own partial (gemm's beta = 1); the partials are then added in thread order, so the
// result is the same on every run with the same thread count.
template <class T>
void conv2dWeightGrad(const ConvShape& s, const T* x, const T* gy, T* gw) {
  const Chunking chunk(s);
  const int64_t size = s.K * chunk.taps;
  const int threads = chunk.perThread ? omp_get_max_threads() : 1;
  std::vector<T> partials(threads * size, T(0));
#pragma omp parallel num_threads(threads) if (chunk.perThread)
  {
    T* partial = partials.data() + omp_get_thread_num() * size;
#pragma omp for schedule(static)
    for (int64_t c = 0; c < chunk.count; ++c) {
      const int64_t first = c * chunk.images, count = std::min(chunk.images, s.B - first);
      T* col = scratch<T>(kColumns, chunk.taps * chunk.width());
      T* grouped = scratch<T>(kProduct, s.K * chunk.width());
      im2col(s, x, first, count, chunk, col);
      toGrouped(s, chunk, first, count, gy, grouped);
      gemm<T>(false, true, s.K, chunk.taps, count * chunk.pixels, T(1), grouped, chunk.width(),
              col, chunk.width(), T(1), partial, chunk.taps);
    }
  }
  std::copy(partials.begin(), partials.begin() + size, gw);
  for (int t = 1; t < threads; ++t) {
    for (int64_t i = 0; i < size; ++i) gw[i] += partials[t * size + i];
  }
}

// gx = col2im(wᵀ · gy): the transpose of the forward product, then the adjoint of im2col.
template <class T>
void conv2dInputGrad(const ConvShape& s, const T* gy, const T* w, T* gx) {
  const Chunking chunk(s);
  forEachChunk(s, chunk, [&](int64_t first, int64_t count) {
    T* col = scratch<T>(kColumns, chunk.taps * chunk.width());
    T* grouped = scratch<T>(kProduct, s.K * chunk.width());
    toGrouped(s, chunk, first, count, gy, grouped);
    gemm<T>(true, false, chunk.taps, count * chunk.pixels, s.K, T(1), w, chunk.taps, grouped,
            chunk.width(), T(0), col, chunk.width());
    col2im(s, col, first, count, chunk, gx);
  });
}

template void conv2d<float>(const ConvShape&, const float*, const float*, float*);
template void conv2d<double>(const ConvShape&, const double*, const double*, double*);
template void conv2dWeightGrad<float>(const ConvShape&, const float*, const float*, float*);
template void conv2dWeightGrad<double>(const ConvShape&, const double*, const double*, double*);
template void conv2dInputGrad<float>(const ConvShape&, const float*, const float*, float*);
template void conv2dInputGrad<double>(const ConvShape&, const double*, const double*, double*);

}  // namespace nabla
