// t-SNE's gradient of KL(P ‖ Q): exact over all pairs, or Barnes-Hut with the repulsion summed through a
// quadtree of the map.
import type { SparseP } from './tsne-affinities.js';

const MAX_DEPTH = 60;

/**
 * The exact gradient into `grad`, with W [N·N] as scratch for (1 + ‖y_i − y_j‖²)⁻¹; returns KL(P ‖ Q)
 * when asked (else 0). P is scaled by `exaggeration`.
 */
export function exactGradient(
  P: Float64Array, W: Float64Array, Y: Float64Array, grad: Float64Array, exaggeration: number, wantKl: boolean,
): number {
  const n = Y.length / 2;
  let Z = 0;
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const w = 1 / (1 + (Y[2 * i] - Y[2 * j]) ** 2 + (Y[2 * i + 1] - Y[2 * j + 1]) ** 2);
      W[i * n + j] = W[j * n + i] = w;
      Z += 2 * w;
    }
  }
  grad.fill(0);
  let kl = 0;
  for (let i = 0; i < n; i++) {
    let [gx, gy] = [0, 0];
    for (let j = 0; j < n; j++) {
      if (j === i) continue;
      const w = W[i * n + j];
      const p = P[i * n + j];
      const f = (exaggeration * p - w / Z) * w;
      gx += f * (Y[2 * i] - Y[2 * j]);
      gy += f * (Y[2 * i + 1] - Y[2 * j + 1]);
      if (wantKl) kl += exaggeration * p * Math.log((exaggeration * p) / Math.max(w / Z, Number.MIN_VALUE));
    }
    grad[2 * i] = 4 * gx;
    grad[2 * i + 1] = 4 * gy;
  }
  return kl;
}

/**
 * A point quadtree over the map, rebuilt each iteration in flat typed arrays: per cell its centre and
 * half-width, the number of points under it and their centre of mass, its first child (four in a row,
 * or −1 for a leaf) and, for a leaf, the point it holds. Points at one position share a leaf.
 */
export class QuadTree {
  private capacity: number;
  centreX!: Float64Array;
  centreY!: Float64Array;
  half!: Float64Array;
  massX!: Float64Array;
  massY!: Float64Array;
  count!: Int32Array;
  child!: Int32Array;
  point!: Int32Array;
  size = 0;

  constructor(n: number) {
    this.capacity = 4 * n + 16;
    this.allocate(this.capacity);
  }

  private allocate(capacity: number): void {
    const grow = <T extends Float64Array | Int32Array>(old: T | undefined, make: (c: number) => T): T => {
      const fresh = make(capacity);
      if (old) fresh.set(old.subarray(0, this.size));
      return fresh;
    };
    const f64 = (c: number) => new Float64Array(c);
    const i32 = (c: number) => new Int32Array(c);
    this.centreX = grow(this.centreX, f64);
    this.centreY = grow(this.centreY, f64);
    this.half = grow(this.half, f64);
    this.massX = grow(this.massX, f64);
    this.massY = grow(this.massY, f64);
    this.count = grow(this.count, i32);
    this.child = grow(this.child, i32);
    this.point = grow(this.point, i32);
    this.capacity = capacity;
  }

  private cell(cx: number, cy: number, half: number): number {
    const c = this.size++;
    this.centreX[c] = cx;
    this.centreY[c] = cy;
    this.half[c] = half;
    this.massX[c] = 0;
    this.massY[c] = 0;
    this.count[c] = 0;
    this.child[c] = -1;
    this.point[c] = -1;
    return c;
  }

  build(Y: Float64Array): void {
    const n = Y.length / 2;
    let [minX, minY, maxX, maxY] = [Infinity, Infinity, -Infinity, -Infinity];
    for (let i = 0; i < n; i++) {
      minX = Math.min(minX, Y[2 * i]);
      maxX = Math.max(maxX, Y[2 * i]);
      minY = Math.min(minY, Y[2 * i + 1]);
      maxY = Math.max(maxY, Y[2 * i + 1]);
    }
    this.size = 0;
    const half = Math.max(maxX - minX, maxY - minY) / 2 + 1e-5;
    this.cell((minX + maxX) / 2, (minY + maxY) / 2, half);
    for (let i = 0; i < n; i++) this.insert(Y, i);
  }

  private insert(Y: Float64Array, i: number): void {
    // One insertion splits at most MAX_DEPTH cells: room for all their children first, so the arrays
    // held below stay the live ones.
    if (this.size + 4 * (MAX_DEPTH + 2) > this.capacity) this.allocate(2 * this.capacity);
    const x = Y[2 * i];
    const y = Y[2 * i + 1];
    const { massX, massY, count, child, point, centreX, centreY } = this;
    let c = 0;
    for (let depth = 0; ; depth++) {
      const k = count[c];
      massX[c] = (massX[c] * k + x) / (k + 1);
      massY[c] = (massY[c] * k + y) / (k + 1);
      count[c] = k + 1;
      if (child[c] < 0) {
        if (k === 0) {
          point[c] = i;
          return;
        }
        const p = point[c];
        const px = Y[2 * p];
        const py = Y[2 * p + 1];
        // The same position (or cells too small to split further): share the leaf.
        if ((px === x && py === y) || depth > MAX_DEPTH) return;
        const first = this.split(c);
        // The points that were here (all at one position) move down into their quadrant.
        const q = first + (px > centreX[c] ? 1 : 0) + (py > centreY[c] ? 2 : 0);
        massX[q] = px;
        massY[q] = py;
        count[q] = k;
        point[q] = p;
        point[c] = -1;
      }
      c = child[c] + (x > centreX[c] ? 1 : 0) + (y > centreY[c] ? 2 : 0);
    }
  }

  /** Gives leaf c four empty children; returns the first. */
  private split(c: number): number {
    const h = this.half[c] / 2;
    const [cx, cy] = [this.centreX[c], this.centreY[c]];
    const first = this.cell(cx - h, cy - h, h);
    this.cell(cx + h, cy - h, h);
    this.cell(cx - h, cy + h, h);
    this.cell(cx + h, cy + h, h);
    this.child[c] = first;
    return first;
  }
}

/**
 * The Barnes-Hut gradient (van der Maaten 2014): attraction over P's nonzeros exactly, repulsion
 * −4·Σ_j q_ij·w_ij·(y_i − y_j) with w = (1 + d²)⁻¹, q = w/Z, where a cell of width s at distance r from
 * y_i with s/r < θ stands for its points at their centre of mass. Returns KL(P ‖ Q) when asked, with
 * Z from the same approximation.
 */
export function bhGradient(
  P: SparseP, tree: QuadTree, Y: Float64Array, grad: Float64Array, exaggeration: number, theta: number, wantKl: boolean,
): number {
  const n = Y.length / 2;
  tree.build(Y);
  const { half, massX, massY, count, child, point } = tree;
  const theta2 = theta * theta;
  const stack = new Int32Array(4 * (MAX_DEPTH + 4));
  let Z = 0;
  for (let i = 0; i < n; i++) {
    const x = Y[2 * i];
    const y = Y[2 * i + 1];
    let rx = 0;
    let ry = 0;
    let top = 0;
    stack[top++] = 0;
    while (top > 0) {
      const c = stack[--top];
      const dx = x - massX[c];
      const dy = y - massY[c];
      const d2 = dx * dx + dy * dy;
      const first = child[c];
      if (first < 0 || 4 * half[c] * half[c] < theta2 * d2) {
        // A leaf at y_i's own position holds y_i itself (and any duplicates, at distance 0).
        const p = first < 0 ? point[c] : -1;
        const own = p >= 0 && Y[2 * p] === x && Y[2 * p + 1] === y ? 1 : 0;
        const w = 1 / (1 + d2);
        const m = (count[c] - own) * w;
        Z += m;
        rx += m * w * dx;
        ry += m * w * dy;
      } else {
        // Only the children that hold points.
        if (count[first] > 0) stack[top++] = first;
        if (count[first + 1] > 0) stack[top++] = first + 1;
        if (count[first + 2] > 0) stack[top++] = first + 2;
        if (count[first + 3] > 0) stack[top++] = first + 3;
      }
    }
    grad[2 * i] = rx;
    grad[2 * i + 1] = ry;
  }
  const { start, cols, vals } = P;
  let kl = 0;
  for (let i = 0; i < n; i++) {
    const x = Y[2 * i];
    const y = Y[2 * i + 1];
    let ax = 0;
    let ay = 0;
    for (let e = start[i]; e < start[i + 1]; e++) {
      const j = cols[e];
      const dx = x - Y[2 * j];
      const dy = y - Y[2 * j + 1];
      const w = 1 / (1 + dx * dx + dy * dy);
      const p = exaggeration * vals[e];
      ax += p * w * dx;
      ay += p * w * dy;
      if (wantKl && p > 0) kl += p * Math.log(p / (w / Z));
    }
    grad[2 * i] = 4 * (ax - grad[2 * i] / Z);
    grad[2 * i + 1] = 4 * (ay - grad[2 * i + 1] / Z);
  }
  return kl;
}
