// train/: the minibatch loop with early stopping, checkpoints and resume states, progress, metrics.
export * from './early-stopping.js';
export * from './loop.js';
export * from './optimizer.js';
export * from './metrics.js';
export * from './progress.js';
export * from './resume-state.js';
export * from './fit-classifier.js';
