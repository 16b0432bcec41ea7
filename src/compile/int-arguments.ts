// Integer arguments at a compiled function's door: the numbers given for an int32 input (nested arrays or
// a float typed array) must be exact integers in the int32 range. Anything else is refused with the input
// and the element named, never truncated, saturated or wrapped (1.7 is not label 1, 3e9 is not -1294967296).
import { array, INT32_MAX, INT32_MIN, type NDArray, type Nested, type TypedArray } from '../ndarray/index.js';

/** The position of flat element `i` of an array of `shape`, as [i0, i1, ...]. */
function positionOf(i: number, shape: readonly number[]): number[] {
  const index = shape.map(() => 0);
  for (let d = shape.length - 1, rest = i; d >= 0; d--) {
    index[d] = rest % shape[d];
    rest = Math.floor(rest / shape[d]);
  }
  return index;
}

/** `values` as an int32 array, or an error naming the first element that is not an exact int32 (fn names the input). */
export function exactInt32(values: Nested | TypedArray): NDArray {
  if (values instanceof Int32Array) return array(values);
  const exact = array(values, 'float64');
  const bad = exact.data.findIndex((v) => !Number.isInteger(v) || v < INT32_MIN || v > INT32_MAX);
  if (bad < 0) return exact.astype('int32');
  const position = positionOf(bad, exact.shape);
  const given = ArrayBuffer.isView(values)
    ? exact.data[bad]
    : position.reduce<unknown>((v, k) => (Array.isArray(v) ? v[k] : v), values);
  const why = typeof given === 'number' && Number.isInteger(given)
    ? `outside the int32 range [${INT32_MIN}, ${INT32_MAX}]`
    : 'not an integer';
  throw new Error(`element [${position.join(', ')}] is ${typeof given === 'number' ? String(given) : JSON.stringify(given)}, ${why}; an int32 input takes exact integers`);
}
