// Models saved and loaded by path, through the host's files (Node's, which model-file.ts gives when imported),
// and models as bytes, which need no files (a browser keeps them in memory, IndexedDB or a download).
import { host, type Host } from '../backends/host.js';
import { decodeModel, encodeModel, type ModelFile } from './model-bytes.js';

export { MODEL_FORMAT, MODEL_VERSION, expectShapes, setParameters, type ModelFile } from './model-bytes.js';

/** The host's file reads and writes, or an error naming `path` where there are none (a browser). */
function files(path: string): Required<Pick<Host, 'readFile' | 'writeFile'>> {
  const { readFile, writeFile } = host();
  if (!readFile || !writeFile) {
    throw new Error(`${path}: model files need Node's file system; in a browser keep the model as bytes (model.toBytes(), nb.classifierFromBytes)`);
  }
  return { readFile, writeFile };
}

/** Saves a model; tensors keep their dtype and shape exactly. */
export function saveModelFile(path: string, model: ModelFile): void {
  files(path).writeFile(path, encodeModel(model));
}

/** Loads a model file, with an error naming the file for anything that is not one. */
export function loadModelFile(path: string, expectedKind?: string): ModelFile {
  return decodeModel(files(path).readFile(path), path, expectedKind);
}

/**
 * A model file's bytes in one piece.
 * @example const bytes = nb.modelToBytes(model.toModelFile()); nb.decodeModel(bytes, 'upload').kind // 'logreg'
 */
export function modelToBytes(model: ModelFile): Uint8Array {
  const pieces = encodeModel(model);
  const bytes = new Uint8Array(pieces.reduce((n, piece) => n + piece.length, 0));
  pieces.reduce((offset, piece) => {
    bytes.set(piece, offset);
    return offset + piece.length;
  }, 0);
  return bytes;
}

/** A decoded model file built by `build` (a model's fromModelFile), given the facts saved with it. */
function built<M extends { meta: Record<string, unknown> }>(
  file: ModelFile, where: string, build: (file: ModelFile, where: string) => M,
): M {
  const model = build(file, where);
  model.meta = file.meta ?? {};
  return model;
}

/**
 * Reads a model file back through `build` (a model's fromModelFile) and gives the model the facts saved
 * with it; with `kind`, a file of another kind is an error naming it.
 * @example static load(path: string): Mlp { return loadModelAs(path, Mlp.fromModelFile, 'mlp'); }
 */
export function loadModelAs<M extends { meta: Record<string, unknown> }>(
  path: string, build: (file: ModelFile, path: string) => M, kind?: string,
): M {
  return built(loadModelFile(path, kind), path, build);
}

/**
 * loadModelAs for bytes; `name` says where they came from in errors.
 * @example const model = modelFromBytes(bytes, LogisticRegression.fromModelFile, 'logreg', 'logreg.nbm');
 */
export function modelFromBytes<M extends { meta: Record<string, unknown> }>(
  bytes: Uint8Array, build: (file: ModelFile, name: string) => M, kind?: string, name = 'model bytes',
): M {
  return built(decodeModel(bytes, name, kind), name, build);
}
