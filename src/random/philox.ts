// Philox4x32-10, the counter-based generator of Salmon et al. 2011 (Random123): a keyed bijection of
// a 128-bit counter, so any element of a stream is computed directly and every backend agrees bit for bit.
// native/kernels/random/philox.h is the C++ twin; a change here must be made there too, or seeded draws stop matching.

const M0 = 0xd2511f53;
const M1 = 0xcd9e8d57;
// The multipliers split into 16-bit halves so that the high 32 bits of a 32x32 product stay exact in doubles.
const M0_HI = M0 >>> 16;
const M0_LO = M0 & 0xffff;
const M1_HI = M1 >>> 16;
const M1_LO = M1 & 0xffff;
const KEY_BUMP0 = 0x9e3779b9;
const KEY_BUMP1 = 0xbb67ae85;
const TWO_POW_32 = 4294967296;
const TWO_POW_MINUS_16 = 1 / 65536; // multiplying by a power of two is exact, and cheaper than dividing
const TWO_POW_MINUS_23 = 1 / 8388608;

/**
 * The high 32 bits of a * m (m = mHi * 2^16 + mLo), exactly: a*mHi and a*mLo are below 2^48 and
 * a*m = (a*mHi + floor(a*mLo / 2^16)) * 2^16 + (a*mLo mod 2^16), the last term under 2^16.
 * Words travel as int32 bit patterns (`| 0`), which V8 keeps unboxed; uint32 values above 2^31 would be doubles.
 */
function mulHigh(a: number, mHi: number, mLo: number): number {
  const u = a >>> 0;
  return ((u * mHi + ((u * mLo * TWO_POW_MINUS_16) >>> 0)) * TWO_POW_MINUS_16) | 0;
}

/** Ten Philox rounds on (c0..c3) under key (k0, k1), written into `out` (reused so the hot loop allocates nothing). */
function philoxRounds(c0: number, c1: number, c2: number, c3: number, k0: number, k1: number, out: Uint32Array): void {
  for (let round = 0; round < 10; round++) {
    if (round > 0) {
      k0 = (k0 + KEY_BUMP0) | 0;
      k1 = (k1 + KEY_BUMP1) | 0;
    }
    const hi0 = mulHigh(c0, M0_HI, M0_LO);
    const lo0 = Math.imul(M0, c0);
    const hi1 = mulHigh(c2, M1_HI, M1_LO);
    const lo1 = Math.imul(M1, c2);
    c0 = hi1 ^ c1 ^ k0;
    c1 = lo1;
    c2 = hi0 ^ c3 ^ k1;
    c3 = lo0;
  }
  out[0] = c0;
  out[1] = c1;
  out[2] = c2;
  out[3] = c3;
}

/**
 * One Philox4x32-10 block: four uint32 words from counter (c0..c3) and key (k0, k1).
 * @example philoxBlock(0, 0, 0, 0, 0, 0) // [0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8]
 */
export function philoxBlock(
  c0: number, c1: number, c2: number, c3: number, k0: number, k1: number,
): [number, number, number, number] {
  const out = new Uint32Array(4);
  philoxRounds(c0 | 0, c1 | 0, c2 | 0, c3 | 0, k0 | 0, k1 | 0, out);
  return [out[0], out[1], out[2], out[3]];
}

function checkUint32(name: string, value: number): void {
  if (!Number.isInteger(value) || value < 0 || value >= TWO_POW_32) {
    throw new Error(`philoxUniform: ${name} ${value} must be an integer in [0, 2^32)`);
  }
}

/**
 * Fills `out` with uniform draws in (0, 1): element i is word i % 4 of the block with counter
 * (b mod 2^32, floor(b / 2^32), counter, 0), b = floor(i / 4), under key (seed, stream), mapped to
 * ((w >>> 9) + 0.5) * 2^-23: 24 significant bits, so float32 holds every value exactly and no draw
 * rounds to 0 or 1 (with 24 bits before the half, the largest float32 draw would round up to 1).
 * @example const u = new Float32Array(10); philoxUniform(42, 0, 0, u);
 */
export function philoxUniform(seed: number, stream: number, counter: number, out: Float32Array | Float64Array): void {
  checkUint32('seed', seed);
  checkUint32('stream', stream);
  checkUint32('counter', counter);
  const words = new Uint32Array(4);
  const n = out.length;
  for (let block = 0, i = 0; i < n; block++, i += 4) {
    philoxRounds(block | 0, Math.floor(block / TWO_POW_32) | 0, counter | 0, 0, seed | 0, stream | 0, words);
    const end = Math.min(4, n - i);
    for (let j = 0; j < end; j++) out[i + j] = ((words[j] >>> 9) + 0.5) * TWO_POW_MINUS_23;
  }
}
