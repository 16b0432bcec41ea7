// The neural-network entry points of the addon (softmax, cross-entropy, convolution, pooling).
#pragma once

#include <napi.h>

namespace nabla {

// Adds softmax, logSoftmax, softmaxCrossentropy(Grad), conv2d(WeightGrad, InputGrad) and
// maxPool2d(Grad) to the addon's exports.
void exportNetworkOps(Napi::Env env, Napi::Object exports);

}  // namespace nabla
