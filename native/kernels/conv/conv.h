// True 2-D convolution (the kernel is flipped, as in Theano's conv2d and
// scipy.signal.convolve2d) of a [B, C, H, W] batch with a [K, C, kh, kw] filter bank.
#pragma once

#include <cstdint>

namespace nabla {

enum class ConvMode { Valid = 0, Full = 1 };

struct ConvShape {
  int64_t B, C, H, W;  // input
  int64_t K, kh, kw;   // filters
  ConvMode mode;

  // Full convolution is valid convolution of the input zero-padded by kernel - 1 each side.
  int64_t padH() const { return mode == ConvMode::Full ? kh - 1 : 0; }
  int64_t padW() const { return mode == ConvMode::Full ? kw - 1 : 0; }
  int64_t outH() const { return H + 2 * padH() - kh + 1; }
  int64_t outW() const { return W + 2 * padW() - kw + 1; }
};

// valid: out[b,k,i,j] = Σ_{c,u,v} x[b,c,i+u,j+v] · w[k,c,kh-1-u,kw-1-v], out [B,K,H-kh+1,W-kw+1]
// full:  out[b,k,i,j] = Σ_{c,u,v} x[b,c,i-u,j-v] · w[k,c,u,v],           out [B,K,H+kh-1,W+kw-1]
template <class T>
void conv2d(const ConvShape& s, const T* x, const T* w, T* out);

// Gradient of Σ gy · conv2d(x, w) with respect to w; gy is [B, K, outH, outW], gw [K, C, kh, kw].
template <class T>
void conv2dWeightGrad(const ConvShape& s, const T* x, const T* gy, T* gw);

// Gradient of Σ gy · conv2d(x, w) with respect to x, gx [B, C, H, W]. Equal to conv2d of gy with
// w transposed and rotated in the other mode, but without multiplying the padding's zeros.
template <class T>
void conv2dInputGrad(const ConvShape& s, const T* gy, const T* w, T* gx);

}  // namespace nabla
