// Both passes walk the same windows; the gradient finds the max again by comparing with y
// rather than storing argmax indices, so the forward needs no side output.
#include "pool.h"

#include <algorithm>

#include "parallel.h"
#include "scalar-ops.h"

namespace nabla {
namespace {

constexpr int64_t kParallelMin = 1 << 15;

// Calls f(plane, i, j, rowBegin, rowEnd, colBegin, colEnd) for every window of every plane.
template <class F>
void forEachWindow(const PoolShape& s, F f) {
  const int64_t planes = s.B * s.C, oh = s.outH(), ow = s.outW();
  parallelFor(planes, planes * s.H * s.W >= kParallelMin, [&](int64_t from, int64_t to) {
    for (int64_t plane = from; plane < to; ++plane) {
      for (int64_t i = 0; i < oh; ++i) {
        const int64_t r0 = i * s.ph, r1 = std::min(r0 + s.ph, s.H);
        for (int64_t j = 0; j < ow; ++j) {
          const int64_t c0 = j * s.pw, c1 = std::min(c0 + s.pw, s.W);
          f(plane, i * ow + j, r0, r1, c0, c1);
        }
      }
    }
  });
}

}  // namespace

template <class T>
void maxPool2d(const PoolShape& s, const T* x, T* y) {
  const int64_t planeIn = s.H * s.W, planeOut = s.outH() * s.outW();
  forEachWindow(s, [&](int64_t plane, int64_t o, int64_t r0, int64_t r1, int64_t c0,
                       int64_t c1) {
    const T* image = x + plane * planeIn;
    T m = image[r0 * s.W + c0];
    for (int64_t r = r0; r < r1; ++r) {
      for (int64_t c = c0; c < c1; ++c) m = scalar::maximum(m, image[r * s.W + c]);
    }
    y[plane * planeOut + o] = m;
  });
}

template <class T>
void maxPool2dGrad(const PoolShape& s, const T* x, const T* y, const T* gy, T* gx) {
  const int64_t planeIn = s.H * s.W, planeOut = s.outH() * s.outW();
  std::fill(gx, gx + s.B * s.C * planeIn, T(0));
  forEachWindow(s, [&](int64_t plane, int64_t o, int64_t r0, int64_t r1, int64_t c0,
                       int64_t c1) {
    const T* image = x + plane * planeIn;
    const T m = y[plane * planeOut + o];
    for (int64_t r = r0; r < r1; ++r) {
      for (int64_t c = c0; c < c1; ++c) {
        const T v = image[r * s.W + c];
        if (v == m || (v != v && m != m)) {
          gx[plane * planeIn + r * s.W + c] = gy[plane * planeOut + o];
          return;
        }
      }
    }
  });
}

template void maxPool2d<float>(const PoolShape&, const float*, float*);
template void maxPool2d<double>(const PoolShape&, const double*, double*);
template void maxPool2dGrad<float>(const PoolShape&, const float*, const float*, const float*,
                                   float*);
template void maxPool2dGrad<double>(const PoolShape&, const double*, const double*, const double*,
                                    double*);

}  // namespace nabla
