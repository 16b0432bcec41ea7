// data/: readers for the data sets the tutorials use (MNIST, IMDB, ATIS), each checking its input and naming the
// file at fault.
export * from './idx.js';
export * from './mnist.js';
export * from './imdb.js';
export * from './tokenize.js';
export * from './atis.js';
export * from './midi.js';
export * from './music.js';
export * from './matrix-file.js';
