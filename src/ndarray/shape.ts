// Shapes: sizes, row-major strides and NumPy-style broadcasting of concrete shapes.
export type Shape = readonly number[];

export function sizeOf(shape: Shape): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

export function stridesOf(shape: Shape): number[] {
  const strides = new Array<number>(shape.length);
  let s = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    strides[i] = s;
    s *= shape[i];
  }
  return strides;
}

export function formatShape(shape: readonly (number | null)[]): string {
  return `[${shape.map((d) => (d === null ? '?' : String(d))).join(', ')}]`;
}

export function sameShape(a: Shape, b: Shape): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/** The shape two or more shapes broadcast to, or an error naming them all. */
export function broadcastShapes(...shapes: Shape[]): number[] {
  const rank = Math.max(0, ...shapes.map((s) => s.length));
  const out = new Array<number>(rank).fill(1);
  for (const shape of shapes) {
    const pad = rank - shape.length;
    shape.forEach((d, i) => {
      const o = out[pad + i];
      if (o === 1) out[pad + i] = d;
      else if (d !== 1 && d !== o) {
        throw new Error(`cannot broadcast shapes ${shapes.map((s) => formatShape(s)).join(' and ')}`);
      }
    });
  }
  return out;
}

/**
 * Element strides of an array of `shape` when read as `outShape` (right-aligned): 0 along broadcast
 * dimensions. Kernels walk every input with these, so broadcasting never copies.
 */
export function broadcastStrides(shape: Shape, outShape: Shape): number[] {
  const own = stridesOf(shape);
  const pad = outShape.length - shape.length;
  return outShape.map((_, i) => (i < pad || shape[i - pad] === 1 ? 0 : own[i - pad]));
}

/** Normalises a possibly negative axis against `rank`, with an error naming the op. */
export function normalizeAxis(axis: number, rank: number, where: string): number {
  const a = axis < 0 ? axis + rank : axis;
  if (!Number.isInteger(a) || a < 0 || a >= rank) {
    throw new Error(`${where}: axis ${axis} is out of range for rank ${rank}`);
  }
  return a;
}
