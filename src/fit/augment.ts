// Data augmentation of images (Unsupervised Deep Learning, ch. 6: "a cat shifted to the left is still a
// cat"): each image moved by a random shift and a small random rotation about its centre (bilinear
// resampling, zeros outside), plus Gaussian pixel noise, clipped to [0, 1]. Drawn afresh each epoch from
// (seed, epoch) through Philox, so a run and its resumption see the same images.
import { NDArray } from '../ndarray/index.js';
import { philoxUniform } from '../random/index.js';

export interface AugmentOptions {
  /** Largest shift in pixels along each axis (uniform in ±shift). */
  shift?: number;
  /** Largest rotation in degrees (uniform in ±rotate). */
  rotate?: number;
  /** Standard deviation of the Gaussian noise added to each pixel. */
  noise?: number;
}

/** The Philox streams of augmentations (geometry, noise), apart from those of RandomStreams and shuffles. */
const GEOMETRY_STREAM = 0x4155_4721;
const NOISE_STREAM = 0x4155_4722;

/**
 * 'shift=2,rotate=10,noise=0.1' (any of the three) as options; errors name the flag.
 * @example parseAugment('shift=2,noise=0.05') // { shift: 2, noise: 0.05 }
 */
export function parseAugment(text: string, flag = 'augment'): AugmentOptions {
  const options: AugmentOptions = {};
  for (const part of text.split(',')) {
    const [key, value] = part.split('=').map((t) => t.trim());
    const v = Number(value);
    if (!['shift', 'rotate', 'noise'].includes(key) || value === undefined || value === '' || !Number.isFinite(v) || v < 0) {
      throw new Error(`--${flag}: '${part}' is not shift=PIXELS, rotate=DEGREES or noise=STD (numbers ≥ 0), as in shift=2,rotate=10,noise=0.1`);
    }
    options[key as keyof AugmentOptions] = v;
  }
  return options;
}

/**
 * Augmented copies of images x (float32 [n, rows·cols]) for `epoch` of a run seeded `seed`.
 * @example augmentImages(train.x, [28, 28], { shift: 2, rotate: 10, noise: 0.1 }, 1234, 3)
 */
export function augmentImages(
  x: NDArray, imageShape: readonly [number, number], options: AugmentOptions, seed: number, epoch: number,
): NDArray {
  const [rows, cols] = imageShape;
  const [n, d] = x.shape;
  if (d !== rows * cols) throw new Error(`augmentImages: images have ${d} pixels, not ${rows}x${cols}`);
  const { shift = 0, rotate = 0, noise = 0 } = options;
  const geometry = new Float64Array(3 * n); // per image: shift down, shift right, angle
  philoxUniform(seed >>> 0, GEOMETRY_STREAM, epoch >>> 0, geometry);
  const uniforms = new Float32Array(noise > 0 ? 2 * d : 0);
  const out = new NDArray('float32', [n, d]);
  const [cy, cx] = [(rows - 1) / 2, (cols - 1) / 2];
  for (let k = 0; k < n; k++) {
    const dy = (2 * geometry[3 * k] - 1) * shift;
    const dx = (2 * geometry[3 * k + 1] - 1) * shift;
    const angle = ((2 * geometry[3 * k + 2] - 1) * rotate * Math.PI) / 180;
    const [cos, sin] = [Math.cos(angle), Math.sin(angle)];
    const src = x.data.subarray(k * d, (k + 1) * d);
    const dst = out.data.subarray(k * d, (k + 1) * d);
    const at = (r: number, c: number) => (r >= 0 && r < rows && c >= 0 && c < cols ? src[r * cols + c] : 0);
    for (let i = 0; i < rows; i++) {
      for (let j = 0; j < cols; j++) {
        // The source point that lands on (i, j): the inverse rotation about the centre, then the inverse shift.
        const [u, v] = [i - cy - dy, j - cx - dx];
        const r = cos * u + sin * v + cy;
        const c = -sin * u + cos * v + cx;
        const [r0, c0] = [Math.floor(r), Math.floor(c)];
        const [fr, fc] = [r - r0, c - c0];
        dst[i * cols + j] = (1 - fr) * ((1 - fc) * at(r0, c0) + fc * at(r0, c0 + 1)) +
          fr * ((1 - fc) * at(r0 + 1, c0) + fc * at(r0 + 1, c0 + 1));
      }
    }
    if (noise > 0) {
      philoxUniform(seed >>> 0, NOISE_STREAM, (epoch * n + k) % 2 ** 32, uniforms);
      for (let p = 0; p < d; p++) {
        const z = Math.sqrt(-2 * Math.log(uniforms[2 * p])) * Math.cos(2 * Math.PI * uniforms[2 * p + 1]);
        dst[p] = Math.min(1, Math.max(0, dst[p] + noise * z));
      }
    }
  }
  return out;
}
