// viz/: pictures of models and training (tiled filters and samples, curves, confusion matrices) as PNG files.
export * from './canvas.js';
export * from './confusion.js';
export * from './font.js';
export * from './plot.js';
export * from './png.js';
export * from './ticks.js';
export * from './tile.js';
export * from './labelled-grid.js';
