// N-API glue for the neural-network kernels: softmax and cross-entropy over rows, convolution and
// pooling over [B, C, H, W] images. Arguments are checked here; the numerics are in native/kernels/.
#include "addon-network.h"

#include <string>

#include "args.h"
#include "kernels/conv/conv.h"
#include "kernels/conv/pool.h"
#include "kernels/nnet/softmax.h"

namespace nabla {
namespace {

// softmax(x, rows, cols, out) and logSoftmax(x, rows, cols, out)
template <bool kLog>
Napi::Value Softmax(const Napi::CallbackInfo& info) {
  Args args(info, kLog ? "logSoftmax" : "softmax", 4);
  const ArrayArg x = args.floatArray(0, "x"), out = args.floatArray(3, "out");
  const int64_t rows = args.count(1, "rows"), cols = args.count(2, "cols");
  args.sameType(x, "x", out, "out");
  args.needs(x, "x", static_cast<double>(rows) * cols);
  args.needs(out, "out", static_cast<double>(rows) * cols);
  withFloat(out.dtype, [&](auto zero) {
    using T = decltype(zero);
    if constexpr (kLog) {
      logSoftmax<T>(x.as<T>(), rows, cols, out.as<T>());
    } else {
      softmax<T>(x.as<T>(), rows, cols, out.as<T>());
    }
  });
  return info.Env().Undefined();
}

// Checks that every label indexes a column: the kernels write and read z[i, y[i]] unchecked.
void checkLabels(const Args& args, const ArrayArg& y, int64_t rows, int64_t cols) {
  const int32_t* labels = y.as<int32_t>();
  for (int64_t i = 0; i < rows; ++i) {
    if (labels[i] < 0 || labels[i] >= cols) {
      args.fail("label " + std::to_string(labels[i]) + " of row " + std::to_string(i) +
                    " is outside [0, " + std::to_string(cols) + ")",
                true);
    }
  }
}

// softmaxCrossentropy(z, y, rows, cols, loss)
Napi::Value SoftmaxCrossentropy(const Napi::CallbackInfo& info) {
  Args args(info, "softmaxCrossentropy", 5);
  const ArrayArg z = args.floatArray(0, "z"), y = args.typed(1, "y", DType::I32);
  const int64_t rows = args.count(2, "rows"), cols = args.count(3, "cols");
  const ArrayArg loss = args.floatArray(4, "loss");
  args.sameType(z, "z", loss, "loss");
  args.needs(z, "z", static_cast<double>(rows) * cols);
  args.needs(y, "y", static_cast<double>(rows));
  args.needs(loss, "loss", static_cast<double>(rows));
  checkLabels(args, y, rows, cols);
  withFloat(z.dtype, [&](auto zero) {
    using T = decltype(zero);
    softmaxCrossentropy<T>(z.as<T>(), y.as<int32_t>(), rows, cols, loss.as<T>());
  });
  return info.Env().Undefined();
}

// softmaxCrossentropyGrad(g, z, y, rows, cols, dz)
Napi::Value SoftmaxCrossentropyGrad(const Napi::CallbackInfo& info) {
  Args args(info, "softmaxCrossentropyGrad", 6);
  const ArrayArg g = args.floatArray(0, "g"), z = args.floatArray(1, "z");
  const ArrayArg y = args.typed(2, "y", DType::I32);
  const int64_t rows = args.count(3, "rows"), cols = args.count(4, "cols");
  const ArrayArg dz = args.floatArray(5, "dz");
  args.sameType(g, "g", dz, "dz");
  args.sameType(z, "z", dz, "dz");
  args.needs(g, "g", static_cast<double>(rows));
  args.needs(z, "z", static_cast<double>(rows) * cols);
  args.needs(y, "y", static_cast<double>(rows));
  args.needs(dz, "dz", static_cast<double>(rows) * cols);
  checkLabels(args, y, rows, cols);
  withFloat(z.dtype, [&](auto zero) {
    using T = decltype(zero);
    softmaxCrossentropyGrad<T>(g.as<T>(), z.as<T>(), y.as<int32_t>(), rows, cols, dz.as<T>());
  });
  return info.Env().Undefined();
}

ConvShape convShape(const Args& args, size_t firstDim, size_t kernelDims, size_t modeArg) {
  ConvShape s;
  s.B = args.count(firstDim, "B");
  s.C = args.count(firstDim + 1, "C");
  s.H = args.count(firstDim + 2, "H");
  s.W = args.count(firstDim + 3, "W");
  s.kh = args.count(kernelDims, "kh");
  s.kw = args.count(kernelDims + 1, "kw");
  const int64_t mode = args.count(modeArg, "mode");
  if (mode > 1) args.fail("mode " + std::to_string(mode) + " is not 0 (valid) or 1 (full)", true);
  s.mode = static_cast<ConvMode>(mode);
  return s;
}

void checkConv(const Args& args, const ConvShape& s) {
  if (s.C < 1 || s.K < 1 || s.kh < 1 || s.kw < 1 || s.outH() < 1 || s.outW() < 1) {
    args.fail("no output for C " + std::to_string(s.C) + ", K " + std::to_string(s.K) +
                  ", input " + std::to_string(s.H) + "x" + std::to_string(s.W) + ", kernel " +
                  std::to_string(s.kh) + "x" + std::to_string(s.kw),
              true);
  }
}

// conv2d(x, B, C, H, W, w, K, kh, kw, mode, out)
Napi::Value Conv2d(const Napi::CallbackInfo& info) {
  Args args(info, "conv2d", 11);
  ConvShape s = convShape(args, 1, 7, 9);
  s.K = args.count(6, "K");
  checkConv(args, s);
  const ArrayArg x = args.floatArray(0, "x"), w = args.floatArray(5, "w");
  const ArrayArg out = args.floatArray(10, "out");
  args.sameType(x, "x", out, "out");
  args.sameType(w, "w", out, "out");
  args.needs(x, "x", 1.0 * s.B * s.C * s.H * s.W);
  args.needs(w, "w", 1.0 * s.K * s.C * s.kh * s.kw);
  args.needs(out, "out", 1.0 * s.B * s.K * s.outH() * s.outW());
  withFloat(out.dtype, [&](auto zero) {
    using T = decltype(zero);
    conv2d<T>(s, x.as<T>(), w.as<T>(), out.as<T>());
  });
  return info.Env().Undefined();
}

// The shape arguments both gradients share: (_, B, C, H, W, _, K, oh, ow, kh, kw, mode, _), where
// oh×ow must be what conv2d gives for them.
ConvShape convGradShape(const Args& args) {
  ConvShape s = convShape(args, 1, 9, 11);
  s.K = args.count(6, "K");
  checkConv(args, s);
  const int64_t oh = args.count(7, "oh"), ow = args.count(8, "ow");
  if (oh != s.outH() || ow != s.outW()) {
    args.fail("gy is " + std::to_string(oh) + "x" + std::to_string(ow) +
                  " but the convolution gives " + std::to_string(s.outH()) + "x" +
                  std::to_string(s.outW()),
              true);
  }
  return s;
}

// conv2dWeightGrad(x, B, C, H, W, gy, K, oh, ow, kh, kw, mode, gw)
Napi::Value Conv2dWeightGrad(const Napi::CallbackInfo& info) {
  Args args(info, "conv2dWeightGrad", 13);
  const ConvShape s = convGradShape(args);
  const ArrayArg x = args.floatArray(0, "x"), gy = args.floatArray(5, "gy");
  const ArrayArg gw = args.floatArray(12, "gw");
  args.sameType(x, "x", gw, "gw");
  args.sameType(gy, "gy", gw, "gw");
  args.needs(x, "x", 1.0 * s.B * s.C * s.H * s.W);
  args.needs(gy, "gy", 1.0 * s.B * s.K * s.outH() * s.outW());
  args.needs(gw, "gw", 1.0 * s.K * s.C * s.kh * s.kw);
  withFloat(gw.dtype, [&](auto zero) {
    using T = decltype(zero);
    conv2dWeightGrad<T>(s, x.as<T>(), gy.as<T>(), gw.as<T>());
  });
  return info.Env().Undefined();
}

// conv2dInputGrad(gy, B, C, H, W, w, K, oh, ow, kh, kw, mode, gx)
Napi::Value Conv2dInputGrad(const Napi::CallbackInfo& info) {
  Args args(info, "conv2dInputGrad", 13);
  const ConvShape s = convGradShape(args);
  const ArrayArg gy = args.floatArray(0, "gy"), w = args.floatArray(5, "w");
  const ArrayArg gx = args.floatArray(12, "gx");
  args.sameType(gy, "gy", gx, "gx");
  args.sameType(w, "w", gx, "gx");
  args.needs(gy, "gy", 1.0 * s.B * s.K * s.outH() * s.outW());
  args.needs(w, "w", 1.0 * s.K * s.C * s.kh * s.kw);
  args.needs(gx, "gx", 1.0 * s.B * s.C * s.H * s.W);
  withFloat(gx.dtype, [&](auto zero) {
    using T = decltype(zero);
    conv2dInputGrad<T>(s, gy.as<T>(), w.as<T>(), gx.as<T>());
  });
  return info.Env().Undefined();
}

PoolShape poolShape(const Args& args, size_t firstDim) {
  PoolShape s;
  s.B = args.count(firstDim, "B");
  s.C = args.count(firstDim + 1, "C");
  s.H = args.count(firstDim + 2, "H");
  s.W = args.count(firstDim + 3, "W");
  s.ph = args.count(firstDim + 4, "ph");
  s.pw = args.count(firstDim + 5, "pw");
  s.ignoreBorder = args.boolean(firstDim + 6, "ignoreBorder");
  if (s.ph < 1 || s.pw < 1) args.fail("the pooling window must be at least 1x1", true);
  return s;
}

// maxPool2d(x, B, C, H, W, ph, pw, ignoreBorder, out)
Napi::Value MaxPool2d(const Napi::CallbackInfo& info) {
  Args args(info, "maxPool2d", 9);
  const PoolShape s = poolShape(args, 1);
  const ArrayArg x = args.floatArray(0, "x"), out = args.floatArray(8, "out");
  args.sameType(x, "x", out, "out");
  args.needs(x, "x", 1.0 * s.B * s.C * s.H * s.W);
  args.needs(out, "out", 1.0 * s.B * s.C * s.outH() * s.outW());
  withFloat(out.dtype, [&](auto zero) {
    using T = decltype(zero);
    maxPool2d<T>(s, x.as<T>(), out.as<T>());
  });
  return info.Env().Undefined();
}

// maxPool2dGrad(x, y, gy, B, C, H, W, ph, pw, ignoreBorder, gx)
Napi::Value MaxPool2dGrad(const Napi::CallbackInfo& info) {
  Args args(info, "maxPool2dGrad", 11);
  const PoolShape s = poolShape(args, 3);
  const ArrayArg x = args.floatArray(0, "x"), y = args.floatArray(1, "y");
  const ArrayArg gy = args.floatArray(2, "gy"), gx = args.floatArray(10, "gx");
  args.sameType(x, "x", gx, "gx");
  args.sameType(y, "y", gx, "gx");
  args.sameType(gy, "gy", gx, "gx");
  args.needs(x, "x", 1.0 * s.B * s.C * s.H * s.W);
  args.needs(gx, "gx", 1.0 * s.B * s.C * s.H * s.W);
  args.needs(y, "y", 1.0 * s.B * s.C * s.outH() * s.outW());
  args.needs(gy, "gy", 1.0 * s.B * s.C * s.outH() * s.outW());
  withFloat(gx.dtype, [&](auto zero) {
    using T = decltype(zero);
    maxPool2dGrad<T>(s, x.as<T>(), y.as<T>(), gy.as<T>(), gx.as<T>());
  });
  return info.Env().Undefined();
}

}  // namespace

void exportNetworkOps(Napi::Env env, Napi::Object exports) {
  exports.Set("softmax", Napi::Function::New(env, Softmax<false>, "softmax"));
  exports.Set("logSoftmax", Napi::Function::New(env, Softmax<true>, "logSoftmax"));
  exports.Set("softmaxCrossentropy",
              Napi::Function::New(env, SoftmaxCrossentropy, "softmaxCrossentropy"));
  exports.Set("softmaxCrossentropyGrad",
              Napi::Function::New(env, SoftmaxCrossentropyGrad, "softmaxCrossentropyGrad"));
  exports.Set("conv2d", Napi::Function::New(env, Conv2d, "conv2d"));
  exports.Set("conv2dWeightGrad", Napi::Function::New(env, Conv2dWeightGrad, "conv2dWeightGrad"));
  exports.Set("conv2dInputGrad", Napi::Function::New(env, Conv2dInputGrad, "conv2dInputGrad"));
  exports.Set("maxPool2d", Napi::Function::New(env, MaxPool2d, "maxPool2d"));
  exports.Set("maxPool2dGrad", Napi::Function::New(env, MaxPool2dGrad, "maxPool2dGrad"));
}

}  // namespace nabla
