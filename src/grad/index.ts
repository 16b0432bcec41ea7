// grad/: reverse-mode automatic differentiation.
export * from './grad.js';
export * from './stabilize.js';
