// optim/: update rules and learning-rate schedules.
export * from './updates.js';
export * from './schedules.js';
