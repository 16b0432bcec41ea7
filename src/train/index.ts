// train/: training runs that keep their files: checkpoints and resume states, metrics, progress, and
// the classifier, pre-training and tagger runs built on them.
export * from './metrics.js';
export * from './progress.js';
export * from './resume-state.js';
export * from './fit-classifier.js';
export * from './pretrain.js';
export * from './pretrain-progress.js';
export * from './fit-tagger.js';
