// Model files (.nbm) as bytes: an 8-byte little-endian header length, a JSON header naming the model kind,
// its configuration and each tensor's dtype, shape and byte range, then the raw little-endian tensor bytes.
// docs/model-format.md describes the layout. No file system here: model-file.ts reads and writes files.
import { arrayConstructor, formatShape, isDType, NDArray, sizeOf, type DType } from '../ndarray/index.js';
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

/** A model file's bytes, in pieces (length, header, each tensor): tensors keep their dtype and shape exactly. */
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
    config: model.config, meta: model.meta ?? {}, tensors: entries,
  }));
  const length = new Uint8Array(8);
  new DataView(length.buffer).setBigUint64(0, BigInt(header.length), true);
  return [length, header, ...blobs];
}

/** Reads a model from its bytes; errors name `path` (where the bytes came from) for anything that is not one. */
export function decodeModel(bytes: Uint8Array, path: string, expectedKind?: string): ModelFile {
  const fail = (why: string) => new Error(`${path}: ${why}`);
  if (bytes.length < 8) throw fail('not a nabla model file (shorter than its 8-byte header length)');
  const headerLength = Number(new DataView(bytes.buffer, bytes.byteOffset, 8).getBigUint64(0, true));
  if (headerLength > bytes.length - 8) throw fail(`not a nabla model file (header of ${headerLength} bytes in a file of ${bytes.length})`);
  let header: {
    format?: string;
    version?: number;
    kind: string;
    config: Record<string, unknown>;
    meta: Record<string, unknown>;
    tensors: Record<string, TensorEntry>;
  };
  try {
    header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + headerLength)));
  } catch {
    throw fail('not a nabla model file (its header is not JSON)');
  }
  if (header.format !== MODEL_FORMAT) throw fail(`not a nabla model file (format ${JSON.stringify(header.format)})`);
  if (header.version !== MODEL_VERSION) throw fail(`model format version ${header.version} is not supported (this nabla reads version ${MODEL_VERSION})`);
  if (expectedKind && header.kind !== expectedKind) throw fail(`holds a ${header.kind} model, not a ${expectedKind}`);
  const body = 8 + headerLength;
  const tensors: Record<string, NDArray> = {};
  for (const [name, e] of Object.entries(header.tensors)) {
    if (!isDType(e.dtype)) throw fail(`tensor ${name} has unknown dtype ${String(e.dtype)}`);
    const Ctor = arrayConstructor(e.dtype);
    if (e.bytes !== sizeOf(e.shape) * Ctor.BYTES_PER_ELEMENT) throw fail(`tensor ${name} (${e.dtype}${formatShape(e.shape)}) has ${e.bytes} bytes`);
    if (body + e.offset + e.bytes > bytes.length) throw fail(`truncated: tensor ${name} ends at byte ${body + e.offset + e.bytes}, the file has ${bytes.length}`);
    // Copy into an aligned buffer: the file's byte offsets need not be multiples of the element size.
    const data = new Ctor(sizeOf(e.shape));
    new Uint8Array(data.buffer).set(bytes.subarray(body + e.offset, body + e.offset + e.bytes));
    tensors[name] = new NDArray(e.dtype, e.shape, data);
  }
  return { kind: header.kind, config: header.config, meta: header.meta, tensors };
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

