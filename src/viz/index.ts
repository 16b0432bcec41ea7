// viz/: pictures of models and training: charts (learning curves, confusion matrices, scatter plots of embeddings)
// as SVG and PNG, and tiled filters, samples and piano rolls as raster images.
export * from './chart.js';
export * from './confusion.js';
export * from './curve-spec.js';
export * from './curves.js';
export * from './png.js';
export * from './scatter.js';
export * from './tile.js';
export * from './piano-roll.js';
export * from './labelled-grid.js';
