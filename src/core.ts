// nabla's core, with no Node import anywhere below it: arrays, graphs, ops, grad, compiled functions on the
// reference backend, random streams, optimizers, layers and the models' fit / predict, model files as bytes.
// It is the package's browser entry; src/index.ts adds Node's parts (native backend, files, data, runs).
export * from './ndarray/index.js';
export { TensorType } from './graph/type.js';
export { Variable, Constant, SharedVariable, Apply, type ScalarVariable } from './graph/variable.js';
export * from './graph/constructors.js';
export { pp, debugPrint } from './graph/print.js';
export * from './ops/index.js';
export * from './random/index.js';
export * from './grad/index.js';
export { getBackend, setBackend, type BackendName } from './backends/choose.js';
export { referenceBackend } from './backends/reference/index.js';
export type { Backend } from './backends/backend.js';
export * from './compile/index.js';
export * from './scan/index.js';
export * from './optim/index.js';
export * from './nn/index.js';
export * from './fit/index.js';
export * from './models/index.js';
