// ndarray/: concrete arrays, dtypes and shapes; knows nothing of graphs.
export * from './dtype.js';
export * from './shape.js';
export * from './ndarray.js';
export * from './finite.js';
