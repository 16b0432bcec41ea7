// Data files in JSON, plain or gzipped (the layouts of ../shared/data): read with one-line errors naming the file.
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';

/**
 * The JSON of a file, plain or gzipped, with one-line errors naming it.
 * @example readJson('../shared/data/atis/fold3.json.gz') // gunzipped by its magic bytes, then parsed
 */
export function readJson(path: string): unknown {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (e) {
    throw new Error(`${path}: cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`, { cause: e });
  }
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) {
    try {
      bytes = gunzipSync(bytes);
    } catch (e) {
      throw new Error(`${path}: truncated or damaged gzip data (${(e as Error).message})`, { cause: e });
    }
  }
  try {
    return JSON.parse(bytes.toString('utf8'));
  } catch (e) {
    throw new Error(`${path}: not JSON (${(e as Error).message})`, { cause: e });
  }
}

