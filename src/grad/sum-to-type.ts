// A gradient computed at an op's broadcast output shape, summed back to its input's type.
import type { TensorType } from '../graph/type.js';
import type { Variable } from '../graph/variable.js';
import { cast, sum } from '../ops/index.js';

/** Sums a gradient over the axes along which `type` was broadcast, so it matches `type` again. */
export function sumToType(g: Variable, type: TensorType): Variable {
  const lead = g.ndim - type.rank;
  const axes: number[] = [];
  for (let i = 0; i < g.ndim; i++) {
    if (i < lead || (type.shape[i - lead] === 1 && g.type.shape[i] !== 1)) axes.push(i);
  }
  let out = axes.length ? sum(g, axes, true) : g;
  if (lead > 0) out = out.dimshuffle(Array.from({ length: type.rank }, (_, i) => i + lead));
  return out.dtype === type.dtype ? out : cast(out, type.dtype);
}
