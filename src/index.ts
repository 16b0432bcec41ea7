// nabla: Theano-style tensor math with automatic differentiation for TypeScript.
export * from './ndarray/index.js';
export { TensorType } from './graph/type.js';
export { Variable, Constant, SharedVariable, Apply, type ScalarVariable } from './graph/variable.js';
export * from './graph/constructors.js';
export { pp, debugPrint } from './graph/print.js';
export * from './ops/index.js';
export * from './random/index.js';
export * from './grad/index.js';
export { getBackend, setBackend, setThreads, referenceBackend, type Backend, type BackendName } from './backends/index.js';
export { backendInfo, type BackendInfo } from './backends/index.js';
export * from './compile/index.js';
export * from './scan/index.js';
export * from './optim/index.js';
export * from './nn/index.js';
export * from './fit/index.js';
export * from './models/index.js';
export * from './train/index.js';
export * from './data/index.js';
