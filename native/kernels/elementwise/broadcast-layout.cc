// Coalescing of broadcast loops; see broadcast-layout.h.
#include "broadcast-layout.h"

namespace nabla {

BroadcastLayout coalesce(const ElementwiseCall& call) {
  BroadcastLayout layout;
  layout.rank = 0;
  layout.size = 1;
  layout.sources.resize(call.inputCount);
  for (int i = 0; i < call.inputCount; ++i) {
    layout.sources[i].data = call.inputs[i].data;
    layout.sources[i].dtype = call.inputs[i].dtype;
    layout.sources[i].offset = call.offsets[i];
  }
  for (int d = 0; d < call.rank; ++d) {
    const int64_t extent = call.shape[d];
    layout.size *= extent;
    if (extent == 1) continue;
    const int r = layout.rank;
    bool mergeable = r > 0;
    for (int i = 0; i < call.inputCount && mergeable; ++i) {
      const int64_t stride = call.strides[i * call.rank + d];
      mergeable = layout.sources[i].stride[r - 1] == stride * extent;
    }
    if (mergeable) {
      layout.shape[r - 1] *= extent;
      for (int i = 0; i < call.inputCount; ++i) {
        layout.sources[i].stride[r - 1] = call.strides[i * call.rank + d];
      }
    } else {
      layout.shape[r] = extent;
      for (int i = 0; i < call.inputCount; ++i) {
        layout.sources[i].stride[r] = call.strides[i * call.rank + d];
      }
      layout.rank = r + 1;
    }
  }
  if (layout.rank == 0) {  // a scalar, or every extent is 1
    layout.rank = 1;
    layout.shape[0] = 1;
    for (auto& s : layout.sources) s.stride[0] = 0;
  }
  for (auto& s : layout.sources) {
    s.scalar = true;
    for (int d = 0; d < layout.rank; ++d) s.scalar = s.scalar && s.stride[d] == 0;
  }
  return layout;
}

}  // namespace nabla
