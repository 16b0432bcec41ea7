// OpenBLAS's own speed for the gemm workloads: cblas_sgemm called from C on the library the addon
// links (Debian's OpenMP build), into an output allocated once. `nabla bench --peers` compiles and
// runs it beside the NumPy peer, so "within 10% of OpenBLAS" is measured in the same run.
//
//     openblas_gemm [--cpu-time] REPS N [N ...]   prints one JSON line per N, in the format of `nabla bench --json`
//
// --cpu-time times by the process's CPU time instead of the wall clock, as `nabla bench --cpu-time` does.
#include <cblas.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static clockid_t timer = CLOCK_MONOTONIC;

static double nowMs(void) {
  struct timespec t;
  clock_gettime(timer, &t);
  return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

static int byValue(const void* a, const void* b) {
  const double x = *(const double*)a, y = *(const double*)b;
  return (x > y) - (x < y);
}

// The same protocol as bench/timing.ts: 3 warm-up calls, then `reps` repetitions of at least 150 ms.
static void timeGemm(int n, int reps) {
  float* a = malloc(sizeof(float) * n * n);
  float* b = malloc(sizeof(float) * n * n);
  float* c = malloc(sizeof(float) * n * n);
  srand(1234);
  for (long i = 0; i < (long)n * n; i++) {
    a[i] = rand() / (float)RAND_MAX;
    b[i] = rand() / (float)RAND_MAX;
  }
#define GEMM() cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, n, n, n, 1, a, n, b, n, 0, c, n)
  for (int i = 0; i < 3; i++) GEMM();
  double start = nowMs();
  GEMM();
  const double once = nowMs() - start > 1e-3 ? nowMs() - start : 1e-3;
  const int perRep = once >= 150 ? 1 : (int)(150 / once) + 1;
  double* samples = malloc(sizeof(double) * reps);
  for (int r = 0; r < reps; r++) {
    start = nowMs();
    for (int i = 0; i < perRep; i++) GEMM();
    samples[r] = (nowMs() - start) / perRep;
  }
  qsort(samples, reps, sizeof(double), byValue);
  const double median = samples[reps / 2];
  printf("{\"impl\": \"openblas\", \"workload\": \"gemm_%d\", \"unit\": \"ms\", \"median\": %.6f, \"min\": %.6f, "
         "\"max\": %.6f, \"extra\": {\"gflops\": %.3f}}\n",
         n, median, samples[0], samples[reps - 1], 2.0 * n * n * n / (median * 1e6));
  free(samples);
  free(a);
  free(b);
  free(c);
}

int main(int argc, char** argv) {
  int first = 1;
  if (argc > 1 && strcmp(argv[1], "--cpu-time") == 0) {
    timer = CLOCK_PROCESS_CPUTIME_ID;
    first = 2;
  }
  if (argc < first + 2) {
    fprintf(stderr, "usage: openblas_gemm [--cpu-time] REPS N [N ...]\n");
    return 2;
  }
  const int reps = atoi(argv[first]);
  fprintf(stderr, "openblas peer: %s, %d threads%s\n", openblas_get_corename(), openblas_get_num_threads(),
          timer == CLOCK_MONOTONIC ? "" : ", CPU time");
  for (int i = first + 1; i < argc; i++) timeGemm(atoi(argv[i]), reps);
  return 0;
}
