// IDX files, the format of MNIST: a big-endian header (two zero bytes, a type code, the rank, then one
// uint32 per dimension) followed by the values, raw or gzipped. Reads them into NDArrays and writes them.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import { constants as zlibConstants, gunzipSync, gzipSync, type ZlibOptions } from 'node:zlib';
import { NDArray, allocate, firstNonFinite, formatShape, indexIn, sizeOf, type DType } from '../ndarray/index.js';

export type IdxType = 'ubyte' | 'byte' | 'short' | 'int' | 'float' | 'double';

interface IdxTypeInfo {
  code: number;
  bytes: number;
  /** The dtype values read into unless the caller asks for another. */
  dtype: DType;
  /** Integer types only: the range a value must lie in to be written. */
  range?: [number, number];
  get(view: DataView, offset: number): number;
  set(view: DataView, offset: number, value: number): void;
}

// IDX stores every multi-byte value big-endian, hence the `false` on each DataView access.
const TYPES: Record<IdxType, IdxTypeInfo> = {
  ubyte: { code: 0x08, bytes: 1, dtype: 'int32', range: [0, 255], get: (v, o) => v.getUint8(o), set: (v, o, x) => v.setUint8(o, x) },
  byte: { code: 0x09, bytes: 1, dtype: 'int32', range: [-128, 127], get: (v, o) => v.getInt8(o), set: (v, o, x) => v.setInt8(o, x) },
  short: {
    code: 0x0b, bytes: 2, dtype: 'int32', range: [-32768, 32767],
    get: (v, o) => v.getInt16(o, false), set: (v, o, x) => v.setInt16(o, x, false),
  },
  int: {
    code: 0x0c, bytes: 4, dtype: 'int32', range: [-2147483648, 2147483647],
    get: (v, o) => v.getInt32(o, false), set: (v, o, x) => v.setInt32(o, x, false),
  },
  float: { code: 0x0d, bytes: 4, dtype: 'float32', get: (v, o) => v.getFloat32(o, false), set: (v, o, x) => v.setFloat32(o, x, false) },
  double: { code: 0x0e, bytes: 8, dtype: 'float64', get: (v, o) => v.getFloat64(o, false), set: (v, o, x) => v.setFloat64(o, x, false) },
};

const TYPE_NAMES = Object.keys(TYPES) as IdxType[];
const KNOWN_CODES = TYPE_NAMES.map((t) => `${hex(TYPES[t].code, 2)} ${t}`).join(', ');
const GZIP_MAGIC = [0x1f, 0x8b];

function hex(value: number, digits: number): string {
  return `0x${value.toString(16).padStart(digits, '0')}`;
}

function typeOfCode(code: number): IdxType | undefined {
  return TYPE_NAMES.find((t) => TYPES[t].code === code);
}

/** What the caller expects of a file; a file with another type or rank is reported as having the wrong magic number. */
export interface IdxExpectation {
  type?: IdxType;
  rank?: number;
}

export interface IdxDecodeOptions {
  /** The dtype of the result: by default int32 for integer types, float32 for float, float64 for double. */
  dtype?: DType;
  /** Divide ubyte values by 255, giving pixels in [0, 1] (float32 unless `dtype` is float64). */
  scale?: boolean;
  /** Decode only rows [start, end) of the first axis, so a split never costs a copy of the whole file. */
  rows?: [number, number];
}

export type ReadIdxOptions = IdxExpectation & IdxDecodeOptions;

/** A checked IDX file whose values are not yet decoded. */
export interface IdxFile {
  /** Labels errors: the file name. */
  name: string;
  type: IdxType;
  shape: number[];
  /** The value bytes after the header, big-endian. */
  values: Uint8Array;
}

/** `0x00000803 (ubyte, rank 3)`, with `??` for what the caller left open. */
function expectedMagic(expect: IdxExpectation): string {
  const code = expect.type ? TYPES[expect.type].code.toString(16).padStart(2, '0') : '??';
  const rank = expect.rank !== undefined ? expect.rank.toString(16).padStart(2, '0') : '??';
  const what = [expect.type, expect.rank !== undefined ? `rank ${expect.rank}` : undefined].filter(Boolean);
  const note = what.length ? what.join(', ') : 'two zero bytes, a type code and the rank';
  return `0x0000${code}${rank} (${note})`;
}

function gunzip(bytes: Uint8Array, name: string, options: ZlibOptions = {}): Uint8Array {
  try {
    return gunzipSync(bytes, options);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') throw error;
    throw new Error(`${name}: gzip data is corrupt (${(error as Error).message})`, { cause: error });
  }
}

// Deflate never packs more than 1032 bytes into one (its longest match, 258 bytes, coded in 2 bits).
const MOST_INFLATED_PER_BYTE = 1032;
// Legitimate gzip headers are a few dozen bytes; the IDX header (at most 1,024 bytes) follows at once.
const GZIP_PREFIXES = [1024, 65536];

/**
 * Gunzips an IDX file without ever holding more than its header declares: the header is read from the
 * start of the stream first, then the whole stream inflated with the declared size as a limit. So a
 * small file that inflates to gigabytes (or claims to) stops early with the size it claims.
 */
function gunzipIdx(input: Uint8Array, name: string, expect: IdxExpectation): Uint8Array {
  let head: IdxHeader | undefined;
  for (const length of GZIP_PREFIXES) {
    const prefix = input.subarray(0, length);
    const start = gunzip(prefix, name, { finishFlush: zlibConstants.Z_SYNC_FLUSH });
    if (start.length >= 4 && start.length >= 4 + 4 * start[3]) {
      head = readHeader(start, name, expect);
      break;
    }
    if (prefix.length === input.length) return gunzip(input, name); // all of it: the checks name what is short
  }
  if (!head) throw new Error(`${name}: no IDX header in the first ${GZIP_PREFIXES.at(-1)} bytes of gzip data`);
  const declared = head.end;
  const what = `${head.type}${formatShape(head.shape)}, ${declared} bytes`;
  if (declared > input.length * MOST_INFLATED_PER_BYTE) {
    throw new Error(`${name}: the header declares ${what}, more than ${input.length} bytes of gzip data can hold`);
  }
  try {
    // One byte over the declared size is enough to tell a file that holds more.
    return gunzip(input, name, { maxOutputLength: declared + 1 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ERR_BUFFER_TOO_LARGE') throw error;
    throw new Error(`${name}: trailing bytes: the gzip data inflate to more than the ${what} its header declares`, { cause: error });
  }
}

interface IdxHeader {
  type: IdxType;
  shape: number[];
  /** Where the values start and end. */
  start: number;
  end: number;
}

/** Reads and checks an IDX header (magic number, type, rank, dimensions) at the start of `bytes`. */
function readHeader(bytes: Uint8Array, name: string, expect: IdxExpectation): IdxHeader {
  const truncated = (expected: number) => new Error(`${name}: truncated at byte ${bytes.length}, expected ${expected}`);
  if (bytes.length < 4) throw truncated(4);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const magic = view.getUint32(0, false);
  const [code, rank] = [bytes[2], bytes[3]];
  const type = typeOfCode(code);
  const wrongMagic = (found: string) => new Error(`${name}: wrong magic number ${hex(magic, 8)}${found}, expected ${expectedMagic(expect)}`);
  if (bytes[0] !== 0 || bytes[1] !== 0) throw wrongMagic('');
  if (!type) throw new Error(`${name}: unknown IDX type code ${hex(code, 2)} in magic number ${hex(magic, 8)} (known: ${KNOWN_CODES})`);
  if ((expect.type && expect.type !== type) || (expect.rank !== undefined && expect.rank !== rank)) {
    throw wrongMagic(` (${type}, rank ${rank})`);
  }
  const start = 4 + 4 * rank;
  if (bytes.length < start) throw truncated(start);
  const shape = Array.from({ length: rank }, (_, d) => view.getUint32(4 + 4 * d, false));
  return { type, shape, start, end: start + sizeOf(shape) * TYPES[type].bytes };
}

/**
 * Checks the header of IDX bytes (raw or gzipped, told apart by the gzip magic bytes) against their length.
 * @example parseIdxFile(bytes, 'train-labels-idx1-ubyte', { rank: 1 }).shape // [60000]
 */
export function parseIdxFile(input: Uint8Array, name: string, expect: IdxExpectation = {}): IdxFile {
  const bytes = input[0] === GZIP_MAGIC[0] && input[1] === GZIP_MAGIC[1] ? gunzipIdx(input, name, expect) : input;
  const { type, shape, start, end } = readHeader(bytes, name, expect);
  if (bytes.length < end) throw new Error(`${name}: truncated at byte ${bytes.length}, expected ${end}`);
  if (bytes.length > end) {
    throw new Error(`${name}: ${bytes.length - end} trailing bytes after byte ${end} (the header describes ${type}${formatShape(shape)})`);
  }
  return { name, type, shape, values: bytes.subarray(start, end) };
}

/**
 * Reads and checks an IDX file without decoding its values (see decodeIdx).
 * @example const images = readIdxFile('train-images-idx3-ubyte.gz', { type: 'ubyte', rank: 3 });
 */
export function readIdxFile(path: string, expect: IdxExpectation = {}): IdxFile {
  return parseIdxFile(readFileSync(path), basename(path), expect);
}

function resultDtype(file: IdxFile, options: IdxDecodeOptions): DType {
  if (!options.scale) return options.dtype ?? TYPES[file.type].dtype;
  if (file.type !== 'ubyte') throw new Error(`${file.name}: scale maps ubyte pixels to [0, 1], but the file holds ${file.type} values`);
  if (options.dtype === 'int32') throw new Error(`${file.name}: scale gives fractions, which dtype int32 cannot hold`);
  return options.dtype ?? 'float32';
}

function rowRange(file: IdxFile, rows: [number, number] | undefined): [number, number] {
  const n = file.shape.length ? file.shape[0] : 1;
  if (!rows) return [0, n];
  const [start, end] = rows;
  if (!Number.isInteger(start) || !Number.isInteger(end) || start < 0 || start > end || end > n) {
    throw new Error(`${file.name}: rows [${start}, ${end}) are not a range within the ${n} rows of the file`);
  }
  return [start, end];
}

// One lookup per byte: dividing 47 million pixels one by one would dominate the MNIST load time.
const UNIT_PIXELS = Float64Array.from({ length: 256 }, (_, v) => v / 255);

/**
 * Decodes the values of a checked IDX file (or rows of it) into an NDArray.
 * @example decodeIdx(images, { scale: true, rows: [0, 50000] }) // float32[50000, 28, 28] in [0, 1]
 */
export function decodeIdx(file: IdxFile, options: IdxDecodeOptions = {}): NDArray {
  const dtype = resultDtype(file, options);
  const [first, last] = rowRange(file, options.rows);
  const shape = file.shape.length ? [last - first, ...file.shape.slice(1)] : [];
  const rowSize = sizeOf(file.shape.slice(1));
  const { bytes: size, get } = TYPES[file.type];
  const count = (last - first) * rowSize;
  const bytes = file.values.subarray(first * rowSize * size, last * rowSize * size);
  const out = allocate(dtype, count);
  if (file.type === 'ubyte' && options.scale) {
    for (let i = 0; i < count; i++) out[i] = UNIT_PIXELS[bytes[i]];
  } else if (file.type === 'ubyte') {
    out.set(bytes);
  } else if (file.type === 'byte') {
    out.set(new Int8Array(bytes.buffer, bytes.byteOffset, count));
  } else {
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    for (let i = 0; i < count; i++) out[i] = get(view, i * size);
    const bad = firstNonFinite(out);
    if (bad >= 0) {
      const at = indexIn(file.shape, first * rowSize + bad);
      throw new Error(`${file.name}: value ${out[bad]} at [${at.join(', ')}]; data must be finite numbers`);
    }
  }
  return new NDArray(dtype, shape, out);
}

/**
 * Decodes IDX bytes (raw or gzipped); `name` labels errors.
 * @example parseIdx(readFileSync('train-labels-idx1-ubyte'), 'train-labels-idx1-ubyte') // int32[60000]
 */
export function parseIdx(input: Uint8Array, name: string, options: ReadIdxOptions = {}): NDArray {
  return decodeIdx(parseIdxFile(input, name, options), options);
}

/**
 * Reads an IDX file, gzipped or not, into an NDArray of its shape.
 * @example const x = readIdx('train-images-idx3-ubyte', { scale: true }); // float32[60000, 28, 28] in [0, 1]
 */
export function readIdx(path: string, options: ReadIdxOptions = {}): NDArray {
  return parseIdx(readFileSync(path), basename(path), options);
}

export interface WriteIdxOptions {
  /** The IDX value type; ubyte by default. Every value must be representable in it. */
  type?: IdxType;
  /** Map [0, 1] pixels to ubyte as round(v * 255), the inverse of reading with `scale`. */
  scale?: boolean;
  /** Gzip the output; by default when the path ends in `.gz`. */
  gzip?: boolean;
}

/**
 * Encodes an NDArray as IDX bytes; `name` labels errors.
 * @example encodeIdx(nb.array([3, 1, 4], 'int32'), 'labels') // 11 bytes: 00 00 08 01 00 00 00 03 03 01 04
 */
export function encodeIdx(array: NDArray, name = 'encodeIdx', options: Omit<WriteIdxOptions, 'gzip'> = {}): Uint8Array {
  const type = options.type ?? 'ubyte';
  const info = TYPES[type];
  if (options.scale && type !== 'ubyte') throw new Error(`${name}: scale writes ubyte pixels, not ${type}`);
  if (array.rank > 255) throw new Error(`${name}: rank ${array.rank} exceeds the 255 dimensions IDX can describe`);
  if (array.shape.some((d) => d >= 2 ** 32)) throw new Error(`${name}: shape ${formatShape(array.shape)} has a dimension of 2^32 or more`);
  const start = 4 + 4 * array.rank;
  const bytes = new Uint8Array(start + array.size * info.bytes);
  const view = new DataView(bytes.buffer);
  view.setUint32(0, (info.code << 8) | array.rank, false);
  array.shape.forEach((d, i) => view.setUint32(4 + 4 * i, d, false));
  for (let i = 0; i < array.size; i++) {
    const value = options.scale ? Math.round(array.data[i] * 255) : array.data[i];
    if (info.range && !(Number.isInteger(value) && value >= info.range[0] && value <= info.range[1])) {
      const shown = options.scale ? `${array.data[i]} (scaled to ${value})` : `${value}`;
      throw new Error(`${name}: value ${shown} at index ${i} is not a ${type} (integers ${info.range[0]}..${info.range[1]})`);
    }
    info.set(view, start + i * info.bytes, value);
  }
  return bytes;
}

/**
 * Writes an NDArray as an IDX file (gzipped when the path ends in `.gz`), creating the parent folder.
 * @example writeIdx('out/train-labels-idx1-ubyte.gz', labels); // int32 labels 0..255 as ubyte
 */
export function writeIdx(path: string, array: NDArray, options: WriteIdxOptions = {}): void {
  const bytes = encodeIdx(array, basename(path), options);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, (options.gzip ?? path.endsWith('.gz')) ? gzipSync(bytes) : bytes);
}
