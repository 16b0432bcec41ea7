// Recipe options: each declared once with its flag, help text, default and parser, so the command line,
// the help screen and the parsed values cannot disagree. Parse errors name the flag and the value.

export interface OptionSpec<T = unknown> {
  /** The flag without dashes, e.g. 'batch-size'; the parsed value's key is its camelCase ('batchSize'). */
  flag: string;
  /** The value placeholder, e.g. '<n>'; absent for a boolean switch. */
  value?: string;
  description: string;
  /** The default: a number as it is, anything else as a user would type it; absent means "not set". */
  default?: OptionDefault;
  parse?: (text: string, flag: string) => T;
}

/** Numbers stay numbers from a model's settings to its training; text is parsed as if typed. */
export type OptionDefault = string | number;
export type OptionSpecs = readonly OptionSpec[];
export type RawOptions = Record<string, string | boolean | undefined>;

/** 'batch-size' → 'batchSize', as commander names option values. */
export const camelCase = (flag: string) => flag.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());

const bad = (flag: string, text: string, expected: string) => new Error(`--${flag}: '${text}' is not ${expected}`);

/**
 * A number written in plain decimal ('0.1', '-2', '1e-4'); NaN for anything else, such as '0x10', '0b1',
 * '', ' 1' or 'Infinity', which Number() would take.
 */
export const decimal = (text: string): number => (/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(text) ? Number(text) : NaN);

/** A comma-separated list of decimal numbers (spaces around the commas allowed). */
const decimals = (text: string): number[] => text.split(',').map((t) => decimal(t.trim()));

export const parsers = {
  number: (text: string, flag: string): number => {
    const v = decimal(text);
    if (!Number.isFinite(v)) throw bad(flag, text, 'a number');
    return v;
  },
  nonNegative: (text: string, flag: string): number => {
    const v = parsers.number(text, flag);
    if (v < 0) throw bad(flag, text, 'a number ≥ 0');
    return v;
  },
  positive: (text: string, flag: string): number => {
    const v = parsers.number(text, flag);
    if (!(v > 0)) throw bad(flag, text, 'a number > 0');
    return v;
  },
  positiveInt: (text: string, flag: string): number => {
    const v = decimal(text);
    if (!Number.isSafeInteger(v) || v < 1) throw bad(flag, text, 'a positive integer');
    return v;
  },
  nonNegativeInt: (text: string, flag: string): number => {
    const v = decimal(text);
    if (!Number.isSafeInteger(v) || v < 0) throw bad(flag, text, 'an integer ≥ 0');
    return v;
  },
  seed: (text: string, flag: string): number => {
    const v = decimal(text);
    if (!Number.isInteger(v) || v < 0 || v > 0xffffffff) throw bad(flag, text, 'an integer in [0, 2^32)');
    return v;
  },
  /** '500' or '500,500' */
  intList: (text: string, flag: string): number[] => {
    const values = decimals(text);
    if (!values.length || !values.every((v) => Number.isSafeInteger(v) && v >= 1)) throw bad(flag, text, 'a comma-separated list of positive integers');
    return values;
  },
  /** '5x5' or '5' (square) */
  pair: (text: string, flag: string): [number, number] => {
    const values = text.split(/[x,]/).map(decimal);
    if (values.length === 1) values.push(values[0]);
    if (values.length !== 2 || !values.every((v) => Number.isInteger(v) && v >= 1)) throw bad(flag, text, 'a size such as 5x5');
    return [values[0], values[1]];
  },
  /** Keep probabilities in (0, 1], comma-separated. */
  probabilities: (text: string, flag: string): number[] => {
    const values = decimals(text);
    if (!values.every((v) => v > 0 && v <= 1)) throw bad(flag, text, 'comma-separated probabilities in (0, 1]');
    return values;
  },
  /** 'true' or 'false' */
  boolean: (text: string, flag: string): boolean => parsers.choice(['true', 'false'] as const)(text, flag) === 'true',
  choice:
    <T extends string>(choices: readonly T[]) =>
    (text: string, flag: string): T => {
      if (!choices.includes(text as T)) throw bad(flag, text, `one of ${choices.join(', ')}`);
      return text as T;
    },
};

/**
 * Parses raw option values (strings from the command line, or given in code) with their specs; an
 * option neither given nor defaulted is left undefined.
 * @example parseOptions(
 *   [{ flag: 'lr', value: '<x>', description: 'learning rate', default: 0.13, parse: parsers.positive }],
 *   { lr: '0.1' },
 * ) // { lr: 0.1 }
 */
export function parseOptions(specs: OptionSpecs, raw: RawOptions): Record<string, unknown> {
  const known = new Set(specs.map((s) => camelCase(s.flag)));
  const unknown = Object.keys(raw).filter((k) => raw[k] !== undefined && !known.has(k));
  if (unknown.length) throw new Error(`unknown option ${unknown.join(', ')}`);
  const out: Record<string, unknown> = {};
  for (const spec of specs) {
    const key = camelCase(spec.flag);
    const given = raw[key] ?? spec.default;
    if (given === undefined) continue;
    if (typeof given === 'number') out[key] = given;
    else if (typeof given === 'boolean' || !spec.value) out[key] = given === true || given === 'true';
    else out[key] = spec.parse ? spec.parse(given, spec.flag) : given;
  }
  return out;
}

/**
 * Specs with some defaults replaced (a recipe reusing the common options with its own values).
 * @example withDefaults(COMMON_OPTIONS, { lr: 0.13, 'batch-size': 600, optimizer: 'momentum' })
 */
export function withDefaults(specs: OptionSpecs, defaults: Record<string, OptionDefault>): OptionSpec[] {
  return specs.map((s) => (s.flag in defaults ? { ...s, default: defaults[s.flag] } : s));
}
