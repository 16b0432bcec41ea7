// The iteration space of a broadcast element-wise loop, simplified so the hot loops see as few
// dimensions as possible, and the loads that bring one block of an input into registers.
#pragma once

#include <algorithm>
#include <cstdint>
#include <type_traits>
#include <vector>

#include "elementwise.h"

namespace nabla {

struct BroadcastSource {
  const void* data;
  DType dtype;
  int64_t offset;
  int64_t stride[kMaxRank];
  bool scalar;  // every stride is 0: one value for the whole loop
};

struct BroadcastLayout {
  int rank;  // at least 1
  int64_t shape[kMaxRank];
  int64_t size;
  std::vector<BroadcastSource> sources;
};

// Drops extent-1 dimensions and merges neighbours that every input walks contiguously, so a
// same-shape loop becomes rank 1 and a bias add rank 2 whatever the rank of the tensors.
BroadcastLayout coalesce(const ElementwiseCall& call);

// Reads elements [start, start + len) of the loop from `s`, converted to T. Returns a pointer
// into the input itself when that run is already contiguous T (no copy), else fills `buffer`.
template <class T>
const T* loadBlock(const BroadcastSource& s, const BroadcastLayout& layout, int64_t start,
                   int len, T* buffer);

namespace detail {

template <class T, class S>
void copyRun(T* dst, const S* src, int64_t stride, int64_t n) {
  if (stride == 1) {
    for (int64_t i = 0; i < n; ++i) dst[i] = static_cast<T>(src[i]);
  } else if (stride == 0) {
    std::fill(dst, dst + n, static_cast<T>(src[0]));
  } else {
    for (int64_t i = 0; i < n; ++i) dst[i] = static_cast<T>(src[i * stride]);
  }
}

template <class T, class S>
const T* loadTyped(const BroadcastSource& s, const BroadcastLayout& layout, int64_t start,
                   int len, T* buffer) {
  const S* src = static_cast<const S*>(s.data);
  const int last = layout.rank - 1;
  int64_t index[kMaxRank];
  int64_t rest = start;
  for (int d = last; d >= 0; --d) {
    index[d] = rest % layout.shape[d];
    rest /= layout.shape[d];
  }
  auto position = [&] {
    int64_t p = s.offset;
    for (int d = 0; d <= last; ++d) p += index[d] * s.stride[d];
    return p;
  };
  const int64_t innerStride = s.stride[last];
  int64_t run = std::min<int64_t>(len, layout.shape[last] - index[last]);
  if constexpr (std::is_same_v<S, T>) {
    if (run == len && innerStride == 1) return src + position();
  }
  int64_t done = 0;
  for (;;) {
    copyRun(buffer + done, src + position(), innerStride, run);
    done += run;
    if (done == len) return buffer;
    index[last] = 0;
    for (int d = last - 1; d >= 0 && ++index[d] == layout.shape[d]; --d) index[d] = 0;
    run = std::min<int64_t>(len - done, layout.shape[last]);
  }
}

}  // namespace detail

template <class T>
const T* loadBlock(const BroadcastSource& s, const BroadcastLayout& layout, int64_t start,
                   int len, T* buffer) {
  switch (s.dtype) {
    case DType::F32: return detail::loadTyped<T, float>(s, layout, start, len, buffer);
    case DType::F64: return detail::loadTyped<T, double>(s, layout, start, len, buffer);
    case DType::I32: return detail::loadTyped<T, int32_t>(s, layout, start, len, buffer);
  }
  return buffer;
}

}  // namespace nabla
