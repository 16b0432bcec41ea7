// Random draws: Philox counters turned into uniform floats, the same numbers on every backend.
import { NDArray } from '../../ndarray/index.js';
import type { RandomUniformAttrs, randomOps } from '../../ops/index.js';
import { philoxUniform } from '../../random/philox.js';
import type { KernelsFor } from '../backend.js';

/** Random kernels, by op. */
export const randomKernels: KernelsFor<typeof randomOps> = {
  randomUniform: ([counter, shape], attrs) => {
    const { seed, stream, dtype } = attrs as RandomUniformAttrs;
    const out = new NDArray(dtype, Array.from(shape.data));
    philoxUniform(seed, stream, counter.data[0], out.data as Float32Array | Float64Array);
    return [out];
  },
};
