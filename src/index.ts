// nabla: Theano-style tensor math with automatic differentiation for TypeScript. The Node entry: the core
// (src/core.ts, also the browser entry) with Node's parts, whose modules register the native backend, the
// environment and files with the core's host when imported.
export * from './core.js';
export { setThreads, backendInfo, type BackendInfo } from './backends/index.js';
export { writeFileAtomic } from './models/model-file.js';
export * from './train/index.js';
export * from './data/index.js';
