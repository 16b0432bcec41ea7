// Model files (.nbm) on disk: importing this module gives the host Node's file reads and atomic writes, so
// model.save(path) and Model.load(path) work (model-store.ts saves and loads, model-bytes.ts holds the layout).
import { registerHost } from '../backends/host.js';
import { readFileNamed, writeFileAtomic } from './atomic-write.js';

registerHost({ readFile: readFileNamed, writeFile: writeFileAtomic });

export * from './model-store.js';
export { writeFileAtomic } from './atomic-write.js';
