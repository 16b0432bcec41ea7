// What the gemm kernels' choice (kernel-choice.ts) and the threads' choice (thread-choice.ts) share: the
// choice is measured once per machine and cached, an environment variable fixes it instead, the test runner
// gets the built-in one (tests never measure), and a measured choice is applied, then stored.

/** How one choice is read, measured and kept. */
export interface MeasuredChoice<Choice, Variable extends string, Alone extends string = never> {
  /** The environment variable that fixes the choice, and how its value reads. */
  variable: Variable;
  parse(setting: string): Choice;
  /** The addon's own choice: under the test runner, and where measuring is not wanted or not possible. */
  builtIn: Choice;
  /** Why this machine has nothing to choose from (as the source: 'one thread'), or undefined. */
  alone?(): Alone | undefined;
  /** This machine's cached choice in the cache at `path`, if any. */
  cached(path: string): Choice | undefined;
  /** Measures, applies and stores; says why the outcome could not be stored, if it could not. */
  remeasure(path: string): { choice: Choice; notStored?: string };
  apply(choice: Choice): void;
  /** What measuring times, for the notice before it ('timing ... on this CPU'), and the choice's name in errors. */
  timing: string;
  name: string;
}

/**
 * The choice an addon starts with: the variable's when set; the built-in one under the test runner or when
 * the machine has nothing to choose from; else the cached one, measuring it first when there is none (unless
 * `measure` is false, as when the caller is about to measure anyway). Applies it.
 */
export function initialMeasuredChoice<Choice, Variable extends string, Alone extends string>(
  choice: MeasuredChoice<Choice, Variable, Alone>, env: NodeJS.ProcessEnv, path: string, measure: boolean,
): { choice: Choice; source: Variable | Alone | 'default' | 'cache' | 'measured' } {
  const setting = env[choice.variable];
  const alone = setting || env.NODE_TEST_CONTEXT ? undefined : choice.alone?.();
  let result: { choice: Choice; source: Variable | Alone | 'default' | 'cache' | 'measured' };
  if (setting) {
    result = { choice: choice.parse(setting), source: choice.variable };
  } else if (env.NODE_TEST_CONTEXT) {
    result = { choice: { ...choice.builtIn }, source: 'default' };
  } else if (alone) {
    result = { choice: { ...choice.builtIn }, source: alone };
  } else {
    const cached = choice.cached(path);
    if (cached) {
      result = { choice: cached, source: 'cache' };
    } else if (!measure) {
      result = { choice: { ...choice.builtIn }, source: 'default' };
    } else {
      console.error(`nabla: ${choice.timing}, once (cached in ${path}; ${choice.variable} fixes the choice)`);
      const measured = choice.remeasure(path);
      if (measured.notStored) console.error(`nabla: could not store the ${choice.name} calibration (${measured.notStored})`);
      result = { choice: measured.choice, source: 'measured' };
    }
  }
  choice.apply(result.choice);
  return result;
}

/**
 * Applies the choice made from measured `times` and stores both; an unwritable cache costs the cache, not
 * the run, so the reason comes back instead of an error.
 */
export function keepMeasured<Choice, Times>(
  times: Times, choose: (times: Times) => Choice, apply: (choice: Choice) => void,
  store: (times: Times, choice: Choice) => void,
): { times: Times; choice: Choice; notStored?: string } {
  const choice = choose(times);
  apply(choice);
  try {
    store(times, choice);
    return { times, choice };
  } catch (e) {
    return { times, choice, notStored: (e as Error).message };
  }
}
