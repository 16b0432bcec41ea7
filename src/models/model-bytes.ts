// Model files (.nbm) as bytes: an 8-byte little-endian header length, a JSON header naming the model kind,
// its configuration and each tensor's dtype, shape and byte range, the raw little-endian tensor bytes, and
// a CRC-32 of everything before it (files written before the checksum existed end with the tensors).
// docs/model-format.md describes the layout. No file system here: model-file.ts reads and writes files.
import {
  arrayConstructor, DTYPES, firstNonFinite, formatShape, indexIn, isDType, NDArray, sizeOf, type DType,
} from '../ndarray/index.js';
import type { SharedVariable } from '../graph/variable.js';

export const MODEL_FORMAT = 'nabla-model';
export const MODEL_VERSION = 1;

export interface ModelFile {
  /** The model family, e.g. 'mlp' or 'rbm'. */
  kind: string;
  /** Everything needed to rebuild the architecture (layer sizes, activations, ...). */
  config: Record<string, unknown>;
  tensors: Record<string, NDArray>;
  /** Free-form facts about training (epochs, errors, seed). */
  meta?: Record<string, unknown>;
}

interface TensorEntry {
  dtype: DType;
  shape: number[];
  offset: number;
  bytes: number;
}

// CRC-32 (IEEE 802.3, as gzip and PNG use it), one table lookup per byte.
const CRC_TABLE = Uint32Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c;
});

/** The CRC-32 of the pieces' bytes, one after another. */
export function crc32(pieces: readonly Uint8Array[]): number {
  let c = 0xffffffff;
  for (const bytes of pieces) for (let i = 0; i < bytes.length; i++) c = CRC_TABLE[(c ^ bytes[i]) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/**
 * A model file's bytes, in pieces (length, header, each tensor, the checksum): tensors keep their dtype and
 * shape exactly.
 */
export function encodeModel(model: ModelFile): Uint8Array[] {
  const entries: Record<string, TensorEntry> = {};
  const blobs: Uint8Array[] = [];
  let offset = 0;
  for (const [name, t] of Object.entries(model.tensors)) {
    const bytes = new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength);
    entries[name] = { dtype: t.dtype, shape: [...t.shape], offset, bytes: bytes.length };
    blobs.push(bytes);
    offset += bytes.length;
  }
  const header = new TextEncoder().encode(JSON.stringify({
    format: MODEL_FORMAT, version: MODEL_VERSION, kind: model.kind,
    config: model.config, meta: model.meta ?? {}, tensors: entries, checksum: 'crc32',
  }));
  const length = new Uint8Array(8);
  new DataView(length.buffer).setBigUint64(0, BigInt(header.length), true);
  const pieces = [length, header, ...blobs];
  const trailer = new Uint8Array(4);
  new DataView(trailer.buffer).setUint32(0, crc32(pieces), true);
  return [...pieces, trailer];
}

/**
 * Every kind of model file nabla writes: a file of any other kind is refused when read, so that no
 * `kind` (not even `constructor` or `__proto__`) is ever looked up among an object's properties.
 */
export const MODEL_KINDS = [
  'logreg', 'mlp', 'lenet', 'dnn', 'sda', 'dbn', 'autoencoder', 'rbm', 'lstm', 'bow', 'elman', 'rnnrbm', 'pca', 'tsne',
  'resume-state', 'pretrain-checkpoint', 'up-down-checkpoint',
] as const;

/** Deeper tensors than this are refused: no model has them, and a forged rank would only cost time. */
const MAX_RANK = 16;

const hex32 = (v: number) => `0x${v.toString(16).padStart(8, '0')}`;
const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;

/**
 * Reads a model from its bytes; `path` (where the bytes came from) and the field at fault are named in
 * every error. Everything is checked before use: the header length, the JSON header's fields and their
 * types, the kind (from MODEL_KINDS), each tensor's dtype, shape, offset and byte count (in range, and the
 * tensors laid end to end without overlap or gap up to the end of the file), and every value finite.
 */
export function decodeModel(bytes: Uint8Array, path: string, expectedKind?: string): ModelFile {
  const fail = (why: string) => new Error(`${path}: ${why}`);
  const show = (v: unknown) => (v === undefined ? 'missing' : `${JSON.stringify(v)}`);
  if (bytes.length < 8) throw fail('not a nabla model file (shorter than its 8-byte header length)');
  const headerLength = new DataView(bytes.buffer, bytes.byteOffset, 8).getBigUint64(0, true);
  if (headerLength > BigInt(bytes.length - 8)) throw fail(`not a nabla model file (header of ${headerLength} bytes in a file of ${bytes.length})`);
  const body = 8 + Number(headerLength);
  let header: unknown;
  try {
    header = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(8, body)));
  } catch {
    throw fail('not a nabla model file (its header is not JSON)');
  }
  if (!isPlainObject(header)) throw fail('not a nabla model file (its header is not a JSON object)');
  if (header.format !== MODEL_FORMAT) throw fail(`not a nabla model file (format ${show(header.format)})`);
  if (header.version !== MODEL_VERSION) throw fail(`model format version ${show(header.version)} is not supported (this nabla reads version ${MODEL_VERSION})`);
  const { kind, config, tensors: entries } = header;
  const meta = header.meta ?? {};
  if (typeof kind !== 'string' || !(MODEL_KINDS as readonly string[]).includes(kind)) {
    throw fail(`kind ${show(kind)} is not a kind of nabla model (${MODEL_KINDS.join(', ')})`);
  }
  if (expectedKind && kind !== expectedKind) throw fail(`holds a ${kind} model, not a ${expectedKind}`);
  for (const [field, value] of [['config', config], ['meta', meta], ['tensors', entries]] as const) {
    if (!isPlainObject(value)) throw fail(`field ${field} is ${show(value)}; expected a JSON object`);
  }
  // The checksum first: whatever changed since the file was written, the header or a weight, is named as such.
  let end = bytes.length;
  if (header.checksum !== undefined) {
    if (header.checksum !== 'crc32') throw fail(`field checksum is ${show(header.checksum)}; expected "crc32"`);
    if (end - 4 < body) throw fail(`truncated: no room for its CRC-32 checksum after the header (${bytes.length} bytes)`);
    end -= 4;
    const stored = new DataView(bytes.buffer, bytes.byteOffset + end, 4).getUint32(0, true);
    const actual = crc32([bytes.subarray(0, end)]);
    if (stored !== actual) {
      throw fail(`damaged: its bytes give the CRC-32 ${hex32(actual)}, not the ${hex32(stored)} stored when it was written`);
    }
  }
  const tensors = decodeTensors(bytes.subarray(0, end), body, entries as Record<string, unknown>, fail);
  return { kind, config: config as Record<string, unknown>, meta: meta as Record<string, unknown>, tensors };
}

/** The tensors listed in a header, each checked (see decodeModel) and copied out of the file's bytes. */
function decodeTensors(
  bytes: Uint8Array, body: number, entries: Record<string, unknown>, fail: (why: string) => Error,
): Record<string, NDArray> {
  // No prototype: a tensor named `constructor` or `__proto__` is just a name here, never a lookup.
  const tensors: Record<string, NDArray> = Object.create(null) as Record<string, NDArray>;
  const ranges: { name: string; start: number; end: number }[] = [];
  for (const [name, entry] of Object.entries(entries)) {
    const field = `tensors.${name}`;
    if (!isPlainObject(entry)) throw fail(`${field} is ${JSON.stringify(entry)}; expected {dtype, shape, offset, bytes}`);
    const { dtype, shape, offset, bytes: size } = entry;
    if (!isDType(dtype)) throw fail(`${field}.dtype is ${JSON.stringify(dtype)}; expected one of ${DTYPES.join(', ')}`);
    if (!Array.isArray(shape) || shape.length > MAX_RANK || !shape.every(isCount)) {
      throw fail(`${field}.shape is ${JSON.stringify(shape)}; expected a list of at most ${MAX_RANK} non-negative integers`);
    }
    for (const [what, value] of [['offset', offset], ['bytes', size]] as const) {
      if (!isCount(value)) throw fail(`${field}.${what} is ${JSON.stringify(value)}; expected a non-negative integer`);
    }
    const Ctor = arrayConstructor(dtype);
    const count = sizeOf(shape as number[]);
    if (size !== count * Ctor.BYTES_PER_ELEMENT) throw fail(`${field}.bytes is ${size}, but ${dtype}${formatShape(shape as number[])} takes ${count * Ctor.BYTES_PER_ELEMENT}`);
    const end = body + (offset as number) + size;
    if (end > bytes.length) throw fail(`truncated: tensor ${name} ends at byte ${end}, the file has ${bytes.length}`);
    ranges.push({ name, start: body + (offset as number), end });
    // Copy into an aligned buffer: the file's byte offsets need not be multiples of the element size.
    const data = new Ctor(count);
    new Uint8Array(data.buffer).set(bytes.subarray(body + (offset as number), end));
    const bad = firstNonFinite(data);
    if (bad >= 0) throw fail(`tensor ${name} holds ${data[bad]} at [${indexIn(shape as number[], bad).join(', ')}]; a model's values must be finite`);
    tensors[name] = new NDArray(dtype, shape as number[], data);
  }
  // The tensors tile the bytes after the header: no two share a byte, and no byte is left over.
  ranges.sort((a, b) => a.start - b.start || a.end - b.end);
  let at = body;
  let previous = 'the header';
  for (const r of ranges) {
    if (r.start < at) throw fail(`tensors.${r.name}.offset puts it at byte ${r.start}, inside ${previous} (which ends at byte ${at})`);
    if (r.start > at) throw fail(`tensors.${r.name}.offset leaves bytes ${at} to ${r.start} unused after ${previous}`);
    at = r.end;
    previous = `tensor ${r.name}`;
  }
  if (at !== bytes.length) throw fail(`${bytes.length - at} bytes after the end of ${previous} (byte ${at}) belong to no tensor`);
  return tensors;
}

/** Checks that loaded tensors have the shapes an architecture expects, naming the first mismatch. */
export function expectShapes(
  path: string, tensors: Record<string, NDArray>, expected: Record<string, readonly number[]>,
): void {
  for (const [name, shape] of Object.entries(expected)) {
    const t = tensors[name];
    if (!t) throw new Error(`${path}: has no tensor ${name}; it was saved from another architecture`);
    if (t.shape.length !== shape.length || t.shape.some((d, i) => d !== shape[i])) {
      throw new Error(`${path}: tensor ${name} is ${formatShape(t.shape)} but this architecture needs ${formatShape(shape)}`);
    }
  }
}

/**
 * Sets named parameters from loaded tensors, after checking that the names, shapes and dtypes are those
 * of the architecture (`kind` names it in errors).
 * @example setParameters('runs/mlp/model.nbm', 'mlp', model.params, file.tensors);
 */
export function setParameters(
  path: string, kind: string, params: readonly SharedVariable[], tensors: Record<string, NDArray>,
): void {
  expectShapes(path, tensors, Object.fromEntries(params.map((p) => [p.name!, p.value.shape])));
  const extra = Object.keys(tensors).filter((name) => !params.some((p) => p.name === name));
  if (extra.length) throw new Error(`${path}: holds tensor ${extra[0]}, which this ${kind} architecture lacks; it was saved from another architecture`);
  for (const p of params) {
    const t = tensors[p.name!];
    if (t.dtype !== p.dtype) throw new Error(`${path}: tensor ${p.name} is ${t.dtype}, but this architecture needs ${p.dtype}`);
    p.set(t);
  }
}

