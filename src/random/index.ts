// random/: the Philox generator kernels use, and RandomStreams that build random ops into graphs.
export * from './philox.js';
export * from './random-streams.js';
