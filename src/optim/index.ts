// optim/: update rules and learning-rate schedules (also by name), the minibatch loop with the
// tutorials' early stopping, and the state a training step carries.
export * from './updates.js';
export * from './schedules.js';
export * from './by-name.js';
export * from './early-stopping.js';
export * from './minibatch-loop.js';
export * from './training-state.js';
