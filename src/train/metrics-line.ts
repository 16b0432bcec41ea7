// The schema of metrics.jsonl, free of Node imports: the dashboard's page reads it in the browser.

/**
 * Any line of any run's metrics.jsonl, the schema `nabla compare` and `nabla dashboard` read: a flat object
 * with the epoch, the iteration (updates so far), the seconds since the run began, the stage of a run in
 * several stages ('pretrain-1', 'finetune', 'up-down'; absent for single-stage runs) and any number of
 * numeric measures with snake_case names (errors and rates as fractions). Each measure is one picture per stage.
 */
export interface MetricsLine {
  epoch: number;
  iteration: number;
  seconds: number;
  stage?: string;
  [measure: string]: number | string | undefined;
}

/** The fields of a metrics line that are not measures. */
export const METRICS_AXES = ['epoch', 'iteration', 'seconds', 'stage'] as const;
