// Non-overlapping 2-D max pooling (stride = window) of [B, C, H, W] and its gradient.
#pragma once

#include <cstdint>

namespace nabla {

struct PoolShape {
  int64_t B, C, H, W;
  int64_t ph, pw;
  bool ignoreBorder;  // drop partial windows at the border instead of pooling what exists

  int64_t outH() const { return ignoreBorder ? H / ph : (H + ph - 1) / ph; }
  int64_t outW() const { return ignoreBorder ? W / pw : (W + pw - 1) / pw; }
};

template <class T>
void maxPool2d(const PoolShape& s, const T* x, T* y);

// gx = 0, then each window's gy goes to the first element (row-major in the window) equal to
// that window's y.
template <class T>
void maxPool2dGrad(const PoolShape& s, const T* x, const T* y, const T* gy, T* gx);

}  // namespace nabla
