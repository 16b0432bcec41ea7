// The recipes `nabla train NAME` knows, by name. A new model family adds one file and one line here.
import type { Recipe } from './recipe.js';
import { logregRecipe } from './logreg.js';
import { mlpRecipe } from './mlp.js';
import { lenetRecipe } from './lenet.js';
import { daRecipe } from './da.js';
import { sdaRecipe } from './sda.js';
import { rbmRecipe } from './rbm.js';
import { dbnRecipe } from './dbn.js';
import { dnnRecipe } from './dnn.js';
import { rnnsluRecipe } from './rnnslu.js';
import { lstmRecipe } from './lstm.js';
import { bowRecipe } from './bow.js';
import { rnnrbmRecipe } from './rnnrbm.js';
import { keepsAReceipt } from './run-receipt.js';

export type { AccuracyRunSummary, ErrorRunSummary, F1RunSummary, Recipe, RunContext, RunSummary } from './recipe.js';
export { isAccuracySummary, isF1Summary } from './recipe.js';
export * from './options.js';
export { COMMON_OPTIONS } from './common-options.js';

const registry = new Map<string, Recipe>();

/**
 * Adds a recipe (a name already taken is an error, so two families cannot shadow each other).
 * @example registerRecipe(rbmRecipe);
 */
export function registerRecipe(recipe: Recipe): void {
  if (registry.has(recipe.name)) throw new Error(`registerRecipe: a recipe named '${recipe.name}' exists already`);
  registry.set(recipe.name, keepsAReceipt(recipe));
}

/** Every registered recipe, in registration order. */
export function listRecipes(): Recipe[] {
  return [...registry.values()];
}

/**
 * The recipe of a name, or an error listing the known ones.
 * @example await getRecipe('logreg').run({ epochs: '5' })
 */
export function getRecipe(name: string): Recipe {
  const recipe = registry.get(name);
  if (!recipe) throw new Error(`no recipe named '${name}' (known: ${[...registry.keys()].join(', ')})`);
  return recipe;
}

const RECIPES = [
  logregRecipe, mlpRecipe, lenetRecipe, daRecipe, sdaRecipe, rbmRecipe, dbnRecipe, dnnRecipe, lstmRecipe, bowRecipe,
  rnnsluRecipe, rnnrbmRecipe,
];
for (const recipe of RECIPES) {
  registerRecipe(recipe);
}
