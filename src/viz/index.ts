// viz/: pictures of models and training (tiled filters and samples, curves, confusion matrices, scatter plots of
// embeddings) as PNG files (scatter plots also as SVG).
export * from './canvas.js';
export * from './confusion.js';
export * from './font.js';
export * from './plot.js';
export * from './png.js';
export * from './scatter.js';
export * from './ticks.js';
export * from './tile.js';
export * from './piano-roll.js';
export * from './labelled-grid.js';
