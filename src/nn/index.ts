// nn/: layers built from ops (hidden, logistic, conv-pool, dropout), their initialisations, context windows,
// adversarial steps.
export * from './layer.js';
export * from './init.js';
export * from './activation.js';
export * from './hidden-layer.js';
export * from './logistic-layer.js';
export * from './conv-pool-layer.js';
export * from './dropout.js';
export * from './flatten.js';
export * from './context-window.js';
export * from './adversarial.js';
