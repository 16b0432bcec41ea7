// optim/: update rules and learning-rate schedules, also chosen by name.
export * from './updates.js';
export * from './schedules.js';
export * from './by-name.js';
