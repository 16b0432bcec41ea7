// Imported first by the training tests: one OpenMP thread per test process. The test runner runs two
// files at once on a 2-core machine, and oversubscribed OpenMP threads wait on each other at every
// kernel (a 1 ms minibatch step becomes 100 ms). Read when the native addon loads, which is later.
process.env.OMP_NUM_THREADS ??= '1';
