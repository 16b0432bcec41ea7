// random/: the Philox generator kernels use, RandomStreams that build random ops into graphs, seeded shuffles.
export * from './philox.js';
export * from './random-streams.js';
export * from './shuffle.js';
