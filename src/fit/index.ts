// fit/: training in memory, for any model that implements trainable.ts: the minibatch loop, early
// stopping, the trainers; the ATIS tagger's loop and its conlleval scorer.
export * from './trainable.js';
export * from './early-stopping.js';
export * from './minibatch-loop.js';
export * from './training-state.js';
export * from './loop-training.js';
export * from './classifier-training.js';
export * from './sequence-training.js';
export * from './layer-trainer.js';
export * from './conlleval.js';
export * from './tagger-training.js';
export * from './density-training.js';
export * from './augment.js';
