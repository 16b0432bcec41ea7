// Model files (.nbm) on disk: model-bytes.ts holds the layout; writes are atomic (temporary file, then rename).
import { readFileNamed, writeFileAtomic } from './atomic-write.js';
import { decodeModel, encodeModel, type ModelFile } from './model-bytes.js';

export { MODEL_FORMAT, MODEL_VERSION, expectShapes, setParameters, type ModelFile } from './model-bytes.js';
export { writeFileAtomic } from './atomic-write.js';

/** Saves a model; tensors keep their dtype and shape exactly. */
export function saveModelFile(path: string, model: ModelFile): void {
  writeFileAtomic(path, encodeModel(model));
}

/** Loads a model file, with an error naming the file for anything that is not one. */
export function loadModelFile(path: string, expectedKind?: string): ModelFile {
  return decodeModel(readFileNamed(path), path, expectedKind);
}

/**
 * Reads a model file back through `build` (a model's fromModelFile) and gives the model the facts saved
 * with it; with `kind`, a file of another kind is an error naming it.
 * @example static load(path: string): Mlp { return loadModelAs(path, Mlp.fromModelFile, 'mlp'); }
 */
export function loadModelAs<M extends { meta: Record<string, unknown> }>(
  path: string, build: (file: ModelFile, path: string) => M, kind?: string,
): M {
  const file = loadModelFile(path, kind);
  const model = build(file, path);
  model.meta = file.meta ?? {};
  return model;
}
