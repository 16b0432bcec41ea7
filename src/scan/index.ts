// scan/: Theano's scan, the loop users write (the op itself is in ops/scan.ts).
export * from './scan.js';
