// data/: readers for the data sets the tutorials use (MNIST, ATIS), each checking its input and naming the
// file at fault.
export * from './idx.js';
export * from './mnist.js';
export * from './atis.js';
