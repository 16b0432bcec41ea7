// nabla train NAME: one subcommand per registered recipe, each with the recipe's options and defaults.
// Progress goes to standard error; with --json the last line on standard output is the run's summary.
import { Command, Option } from 'commander';
import { isAccuracySummary, isF1Summary, listRecipes, type Recipe, type RawOptions, type RunSummary } from '../recipes/index.js';

const percent = (fraction: unknown) => (typeof fraction === 'number' ? `${(100 * fraction).toFixed(3)}%` : '-');

/** conlleval's figures: precision and recall in percent, F1 in points. */
const chunkScores = (f1: number, precision: unknown, recall: unknown) =>
  `F1 ${(100 * f1).toFixed(2)} (precision ${percent(precision)}, recall ${percent(recall)})`;

/** An unsupervised layer's summary (da, rbm): its monitor per epoch and no errors. */
const isLayerSummary = (summary: RunSummary) => 'final_monitor' in summary;

/** The human-readable end of a run, in the tutorial's words. */
function describe(summary: RunSummary): string {
  const lines = isLayerSummary(summary) ? [
    `${summary.model}: ${String(summary.monitor)} ${(summary.final_monitor as number).toFixed(3)} in the last epoch`,
    `${summary.epochs} epochs in ${summary.seconds.toFixed(1)} s on the ${summary.backend} backend`,
    `model: ${summary.model_path}`,
  ] : isAccuracySummary(summary) ? [
    `${summary.model}: ${summary.monitor_name} ${summary.monitor ?? '-'} in the last epoch; best validation frame-level accuracy ` +
      `${percent(summary.best_valid_accuracy)} at epoch ${summary.best_epoch}, test accuracy of that model ${percent(summary.test_accuracy)}`,
    `${summary.epochs} epochs in ${summary.seconds.toFixed(1)} s on the ${summary.backend} backend (stopped by ${summary.stopped_by})`,
    `model: ${summary.model_path}`,
  ] : isF1Summary(summary) ? [
    `${summary.model}: best validation ${chunkScores(summary.best_valid_f1, summary.valid_precision, summary.valid_recall)} ` +
      `at epoch ${summary.best_epoch}, test ${chunkScores(summary.test_f1, summary.test_precision, summary.test_recall)}`,
    `${summary.epochs} epochs in ${summary.seconds.toFixed(1)} s on the ${summary.backend} backend (stopped by ${summary.stopped_by})`,
    `model: ${summary.model_path}`,
  ] : [
    `${summary.model}: best validation error ${percent(summary.best_valid_error)} at iteration ${summary.best_iteration}, ` +
      `test error of that model ${percent(summary.test_error)} (${summary.test_examples} examples` +
      `${summary.test_error_all === undefined ? '' : `; ${percent(summary.test_error_all)} over all`})`,
    `${summary.epochs} epochs, ${summary.iterations} iterations in ${summary.seconds.toFixed(1)} s on the ${summary.backend} backend (stopped by ${summary.stopped_by})`,
    ...(typeof summary.validation_size === 'number' ? [`validation: the last ${summary.validation_size} images of the training files`] : []),
    `model: ${summary.model_path}`,
  ];
  const pictures = summary.pictures as Record<string, string> | undefined;
  if (pictures) lines.push(`pictures: ${Object.values(pictures).join(', ')}`);
  return lines.join('\n');
}

function recipeCommand(recipe: Recipe): Command {
  const command = new Command(recipe.name).description(recipe.description);
  for (const spec of recipe.options) {
    // Defaults are shown, not applied here: the recipe applies them, so code callers get the same ones.
    const shown = spec.default !== undefined && spec.value ? ` (default: ${spec.default})` : '';
    command.addOption(new Option(`--${spec.flag}${spec.value ? ` ${spec.value}` : ''}`, `${spec.description}${shown}`));
  }
  command.option('--json', 'print the summary as one JSON object, the last line on standard output');
  command.option('--quiet', 'print no progress');
  command.action(async (options: RawOptions & { json?: boolean; quiet?: boolean }) => {
    const { json, quiet, ...raw } = options;
    const summary = await recipe.run(raw, { quiet: Boolean(quiet) });
    console.log(json ? JSON.stringify(summary) : describe(summary));
  });
  return command;
}

/** Adds `nabla train` with a subcommand per recipe. */
export function registerTrain(program: Command): void {
  const train = program.command('train').description('train a model with its tutorial defaults (nabla train NAME --help lists its options)');
  for (const recipe of listRecipes()) train.addCommand(recipeCommand(recipe));
}
