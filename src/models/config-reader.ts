// Reading a model file's configuration back with checks, so a hand-edited or foreign file fails with
// the file, the field and what was expected instead of a confusing error deep inside graph building.
const isPositiveInt = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v > 0;

/**
 * Typed getters over a loaded configuration; each error names the file and the field.
 * @example const read = configReader(path, file.config); const hidden = read.intList('hidden');
 */
export function configReader(path: string, config: Record<string, unknown>) {
  const fail = (field: string, expected: string) =>
    new Error(`${path}: configuration field ${field} is ${JSON.stringify(config[field])}; expected ${expected}`);
  return {
    int(field: string): number {
      const v = config[field];
      if (!isPositiveInt(v)) throw fail(field, 'a positive integer');
      return v;
    },
    intList(field: string, length?: number): number[] {
      const v = config[field];
      if (!Array.isArray(v) || !v.every(isPositiveInt) || (length !== undefined && v.length !== length)) {
        throw fail(field, `a list of ${length ?? 'any number of'} positive integers`);
      }
      return v as number[];
    },
    positive(field: string): number {
      const v = config[field];
      if (typeof v !== 'number' || !(v > 0) || !Number.isFinite(v)) throw fail(field, 'a positive number');
      return v;
    },
    pair(field: string): [number, number] {
      const [a, b] = this.intList(field, 2);
      return [a, b];
    },
    oneOf<T extends string>(field: string, choices: readonly T[]): T {
      const v = config[field];
      if (!choices.includes(v as T)) throw fail(field, `one of ${choices.join(', ')}`);
      return v as T;
    },
    /** A non-empty list of strings (a dictionary's words, by index). */
    stringList(field: string): string[] {
      const v = config[field];
      if (!Array.isArray(v) || !v.length || !v.every((s) => typeof s === 'string')) throw fail(field, 'a non-empty list of strings');
      return v as string[];
    },
    /** A list of probabilities in (0, 1], or an empty list when the field is absent. */
    probabilities(field: string): number[] {
      const v = config[field] ?? [];
      if (!Array.isArray(v) || !v.every((p) => typeof p === 'number' && p > 0 && p <= 1)) throw fail(field, 'a list of probabilities in (0, 1]');
      return v as number[];
    },
  };
}

/** What training may have divided grey levels by (nabla train --pixel-scale). */
export const PIXEL_SCALES = [255, 256] as const;

/**
 * A model file's meta.pixel_scale (255 when absent), checked: images are scaled as in training.
 * @example pixelScaleOf('runs/logreg/model.nbm', model.meta) // 256 for a model trained with --pixel-scale 256
 */
export function pixelScaleOf(path: string, meta: Record<string, unknown> | undefined): number {
  const v = meta?.pixel_scale === undefined ? 255 : meta.pixel_scale;
  if (!(PIXEL_SCALES as readonly unknown[]).includes(v)) {
    throw new Error(`${path}: meta field pixel_scale is ${JSON.stringify(v)}; expected ${PIXEL_SCALES.join(' or ')}`);
  }
  return v as number;
}

/**
 * A model file's meta field that names one of `choices` (`fallback` when absent), checked.
 * @example metaChoice(path, model.meta, 'timing', ['tempo-map', 'tutorial'], 'tempo-map')
 */
export function metaChoice<T extends string>(
  path: string, meta: Record<string, unknown> | undefined, field: string, choices: readonly T[], fallback: T,
): T {
  const v = meta?.[field] === undefined ? fallback : meta[field];
  if (!(choices as readonly unknown[]).includes(v)) {
    throw new Error(`${path}: meta field ${field} is ${JSON.stringify(v)}; expected one of ${choices.join(', ')}`);
  }
  return v as T;
}
