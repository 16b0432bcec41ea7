// Hostile files made from valid ones, for the tests of what nabla reads: a model file with its JSON header
// edited or a weight replaced, and byte-level mutations (truncate, flip, grow, negate, huge claims) drawn
// from a seeded generator.
import { Buffer } from 'node:buffer';
import { encodeModel, type ModelFile } from '../../src/models/index.js';
import { crc32 } from '../../src/models/model-bytes.js';

/** A model file's bytes in one buffer. */
export const modelBytes = (model: ModelFile): Buffer => Buffer.concat(encodeModel(model));

/** A model file's JSON header, loosely typed so that tests can put anything in it. */
export interface Header {
  [field: string]: unknown;
  meta: Record<string, unknown>;
  tensors: Record<string, Record<string, unknown>>;
}

interface Parts {
  header: Header;
  body: Buffer;
}

/** The header and the tensors' bytes (without the checksum) of a model file. */
function split(bytes: Buffer): Parts {
  const length = Number(bytes.readBigUInt64LE(0));
  const header = JSON.parse(bytes.subarray(8, 8 + length).toString('utf8')) as Header;
  return { header, body: bytes.subarray(8 + length, bytes.length - (header.checksum ? 4 : 0)) };
}

/** A model file of a header and tensor bytes, with a fresh checksum when the header asks for one, as a forger would. */
function join({ header, body }: Parts): Buffer {
  const text = Buffer.from(JSON.stringify(header));
  const length = Buffer.alloc(8);
  length.writeBigUInt64LE(BigInt(text.length));
  const pieces = [length, text, body];
  const trailer = Buffer.alloc(header.checksum ? 4 : 0);
  if (header.checksum) trailer.writeUInt32LE(crc32(pieces));
  return Buffer.concat([...pieces, trailer]);
}

/**
 * A model file with its JSON header changed by `edit` (the tensor bytes kept as they are), checksummed again.
 * @example forgeHeader(bytes, (h) => { h.kind = 'constructor'; })
 */
export function forgeHeader(bytes: Buffer, edit: (header: Header) => void): Buffer {
  const parts = split(bytes);
  edit(parts.header);
  return join(parts);
}

/** A model file whose float32 tensor `name` holds `value` at flat index `index`, checksummed again. */
export function forgeValue(bytes: Buffer, name: string, index: number, value: number): Buffer {
  const parts = split(bytes);
  const entry = parts.header.tensors[name];
  if (entry.dtype !== 'float32') throw new Error(`forgeValue: ${name} is ${String(entry.dtype)}`);
  const body = Buffer.from(parts.body);
  body.writeFloatLE(value, (entry.offset as number) + 4 * index);
  return join({ header: parts.header, body });
}

export type Mutation = 'truncate' | 'flip' | 'grow' | 'negative' | 'huge';
export const MUTATIONS: readonly Mutation[] = ['truncate', 'flip', 'grow', 'negative', 'huge'];

/**
 * One seeded mutation of `bytes`, mostly within the first `hot` bytes (where headers are): cut short,
 * bytes flipped, bytes inserted, a 32-bit field made negative, or a 32-bit field made huge.
 */
export function mutate(bytes: Buffer, kind: Mutation, random: () => number, hot = bytes.length): Buffer {
  const at = (span = hot) => Math.floor(random() * Math.min(span, bytes.length));
  const out = Buffer.from(bytes);
  switch (kind) {
    case 'truncate':
      return out.subarray(0, at(bytes.length));
    case 'flip': {
      const flips = 1 + Math.floor(random() * 4);
      for (let i = 0; i < flips; i++) out[at()] ^= 1 << Math.floor(random() * 8);
      return out;
    }
    case 'grow': {
      const where = at();
      const extra = Buffer.alloc(1 + Math.floor(random() * 64), Math.floor(random() * 256));
      return Buffer.concat([out.subarray(0, where), extra, out.subarray(where)]);
    }
    case 'negative':
    case 'huge': {
      const where = Math.min(at(), Math.max(0, out.length - 4));
      if (out.length >= 4) out.writeUInt32BE(kind === 'negative' ? 0xffffffff - Math.floor(random() * 16) : 0x7fff0000 + Math.floor(random() * 65536), where);
      return out;
    }
  }
}
