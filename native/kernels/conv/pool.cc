// 2×2 windows over images with even sides take a direct path (below). Otherwise both passes work
// along whole image rows: a window row of every window in an output row at a time, so the inner
// loops run over contiguous memory, and with the window width a compile-time 2 they vectorise. The gradient finds each window's max again by comparing
// with y rather than storing argmax indices, so the forward needs no side output.
#include "pool.h"

#include <algorithm>
#include <type_traits>
#include <vector>

#include "../parallel.h"
#include "../scalar.h"

namespace nabla {
namespace {

const int64_t& kParallelMin = parallelMinimum(LoopFamily::Pool);  // measured (parallel.h)

// Calls f(from, to) on slices of the B·C planes, in parallel when there is enough work.
template <class F>
void forPlanes(const PoolShape& s, F f) {
  const int64_t planes = s.B * s.C;
  parallelFor(planes, planes * s.H * s.W >= kParallelMin, f);
}

// Calls f(std::integral_constant<int, kWidth>) with kWidth = 2 when the window is 2 wide, else 0
// (the loops then read the width from s.pw at run time).
template <class F>
void withWidth(const PoolShape& s, F f) {
  if (s.pw == 2) {
    f(std::integral_constant<int, 2>{});
  } else {
    f(std::integral_constant<int, 0>{});
  }
}

// y[j] = max(y[j], row[j·pw .. (j+1)·pw)) for every window j of one window row; the last window
// may be cut short by the image border.
template <int kWidth, class T>
void maxIntoRow(const PoolShape& s, const T* row, int64_t ow, T* y) {
  const int64_t pw = kWidth > 0 ? kWidth : s.pw;
  const int64_t full = std::min(ow, s.W / pw);
  for (int64_t j = 0; j < full; ++j) {
    T m = y[j];
    for (int64_t c = 0; c < pw; ++c) m = scalar::maximum(m, row[j * pw + c]);
    y[j] = m;
  }
  for (int64_t j = full; j < ow; ++j) {
    for (int64_t c = j * pw; c < s.W; ++c) y[j] = scalar::maximum(y[j], row[c]);
  }
}

// Writes one window row of the gradient: g[j] where x first equals the window's max m[j] (in
// row-major window order: `taken[j]` remembers a match in an earlier window row), 0 elsewhere,
// including columns beyond the last window. Branch-free, as where the max sits is random.
template <int kWidth, class T>
void routeRow(const PoolShape& s, const T* row, const T* m, const T* g, int64_t ow,
              unsigned char* taken, T* grad) {
  const int64_t pw = kWidth > 0 ? kWidth : s.pw;
  for (int64_t j = 0; j < ow; ++j) {
    const int64_t c0 = j * pw, c1 = std::min(c0 + pw, s.W);
    bool done = taken[j];
    for (int64_t c = c0; c < c1; ++c) {
      const T v = row[c];
      const bool hit = (!done) & ((v == m[j]) | ((v != v) & (m[j] != m[j])));
      grad[c] = hit ? g[j] : T(0);
      done |= hit;
    }
    taken[j] = done;
  }
  std::fill(grad + std::min(ow * pw, s.W), grad + s.W, T(0));
}

// Whole 2×2 windows of images with even sides (LeNet's 24×24 and 8×8), the common case: each
// window's four values at once, with no state carried between window rows.
bool evenTwoByTwo(const PoolShape& s) { return s.ph == 2 && s.pw == 2 && s.H % 2 == 0 && s.W % 2 == 0; }

template <class T>
void maxPoolTwoByTwo(const PoolShape& s, const T* x, T* y) {
  const int64_t oh = s.H / 2, ow = s.W / 2;
  forPlanes(s, [&](int64_t from, int64_t to) {
    for (int64_t row = from * oh; row < to * oh; ++row) {
      const T* top = x + row * 2 * s.W;
      const T* bottom = top + s.W;
      T* out = y + row * ow;
      for (int64_t j = 0; j < ow; ++j) {
        out[j] = scalar::maximum(scalar::maximum(top[2 * j], top[2 * j + 1]),
                                 scalar::maximum(bottom[2 * j], bottom[2 * j + 1]));
      }
    }
  });
}

template <class T>
void maxPoolTwoByTwoGrad(const PoolShape& s, const T* x, const T* y, const T* gy, T* gx) {
  const int64_t oh = s.H / 2, ow = s.W / 2;
  forPlanes(s, [&](int64_t from, int64_t to) {
    for (int64_t row = from * oh; row < to * oh; ++row) {
      const T* top = x + row * 2 * s.W;
      const T* bottom = top + s.W;
      T* gTop = gx + row * 2 * s.W;
      T* gBottom = gTop + s.W;
      const T* m = y + row * ow;
      const T* g = gy + row * ow;
      for (int64_t j = 0; j < ow; ++j) {
        const T mj = m[j];
        // The first of the four (row-major) equal to the max; NaN matches NaN.
        const auto is = [mj](T v) { return (v == mj) | ((v != v) & (mj != mj)); };
        const bool a = is(top[2 * j]);
        const bool b = !a && is(top[2 * j + 1]);
        const bool c = !(a || b) && is(bottom[2 * j]);
        const bool d = !(a || b || c) && is(bottom[2 * j + 1]);
        gTop[2 * j] = a ? g[j] : T(0);
        gTop[2 * j + 1] = b ? g[j] : T(0);
        gBottom[2 * j] = c ? g[j] : T(0);
        gBottom[2 * j + 1] = d ? g[j] : T(0);
      }
    }
  });
}

}  // namespace

template <class T>
void maxPool2d(const PoolShape& s, const T* x, T* y) {
  if (evenTwoByTwo(s)) return maxPoolTwoByTwo(s, x, y);
  const int64_t oh = s.outH(), ow = s.outW();
  forPlanes(s, [&](int64_t from, int64_t to) {
    withWidth(s, [&](auto width) {
      for (int64_t plane = from; plane < to; ++plane) {
        const T* image = x + plane * s.H * s.W;
        for (int64_t i = 0; i < oh; ++i) {
          T* out = y + (plane * oh + i) * ow;
          const T* first = image + i * s.ph * s.W;
          for (int64_t j = 0; j < ow; ++j) out[j] = first[j * s.pw];
          for (int64_t r = i * s.ph; r < std::min((i + 1) * s.ph, s.H); ++r) {
            maxIntoRow<width()>(s, image + r * s.W, ow, out);
          }
        }
      }
    });
  });
}

template <class T>
void maxPool2dGrad(const PoolShape& s, const T* x, const T* y, const T* gy, T* gx) {
  if (evenTwoByTwo(s)) return maxPoolTwoByTwoGrad(s, x, y, gy, gx);
  const int64_t oh = s.outH(), ow = s.outW();
  forPlanes(s, [&](int64_t from, int64_t to) {
    std::vector<unsigned char> taken(ow);
    withWidth(s, [&](auto width) {
      for (int64_t plane = from; plane < to; ++plane) {
        const T* image = x + plane * s.H * s.W;
        T* grad = gx + plane * s.H * s.W;
        for (int64_t i = 0; i < oh; ++i) {
          const T* m = y + (plane * oh + i) * ow;
          const T* g = gy + (plane * oh + i) * ow;
          std::fill(taken.begin(), taken.end(), 0);
          for (int64_t r = i * s.ph; r < std::min((i + 1) * s.ph, s.H); ++r) {
            routeRow<width()>(s, image + r * s.W, m, g, ow, taken.data(), grad + r * s.W);
          }
        }
        // Rows below the last window (ignoreBorder) get no gradient.
        std::fill(grad + std::min(oh * s.ph, s.H) * s.W, grad + s.H * s.W, T(0));
      }
    });
  });
}

template void maxPool2d<float>(const PoolShape&, const float*, float*);
template void maxPool2d<double>(const PoolShape&, const double*, double*);
template void maxPool2dGrad<float>(const PoolShape&, const float*, const float*, const float*,
                                   float*);
template void maxPool2dGrad<double>(const PoolShape&, const double*, const double*, const double*,
                                    double*);

}  // namespace nabla
