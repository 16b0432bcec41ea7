// The recipe shape of the pre-trained deep networks (sda, dbn, dnn): the supervised recipe (data,
// fine-tuning with early stopping, resume, pictures, summary) whose model, once built, is first
// pre-trained greedily, resumably (--pretrain-epochs, --pretrain-lr, ...), with pictures of each
// pre-trained layer. The summary adds the pre-training figures to the fine-tuning ones.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { ClassifierConfig } from '../../models/classifier.js';
import type { DeepNetwork } from '../../models/deep-network.js';
import type { MnistData } from '../../data/index.js';
import { pretrainNetwork } from '../../train/pretrain.js';
import { pretrainProgressBar, type PretrainProgress } from '../../train/pretrain-progress.js';
import { classifierRecipe, type CommonOptions } from './classifier-recipe.js';
import { loadDataset } from './dataset.js';
import { parsers, withDefaults, type OptionDefault, type OptionSpec } from './options.js';
import type { Recipe, RunContext } from './recipe.js';
import { writeFilters } from './unsupervised-pictures.js';
import { RUN_FILES } from '../../train/fit-classifier.js';
import { progressLog, UNSUPERVISED_FILES } from './unsupervised-recipe.js';
import { makeFolder } from '../../models/atomic-write.js';

export interface PretrainingOptions {
  pretrainEpochs: number;
  pretrainBatchSize: number;
  pretrainLr: number;
  pretrainMomentum: number;
}

const PRETRAINING_OPTIONS: readonly OptionSpec[] = [
  { flag: 'pretrain-epochs', value: '<n>', description: 'pre-training epochs per layer (0: none)', parse: parsers.nonNegativeInt },
  { flag: 'pretrain-batch-size', value: '<n>', description: 'pre-training minibatch size', parse: parsers.positiveInt },
  { flag: 'pretrain-lr', value: '<x>', description: 'pre-training learning rate', parse: parsers.positive },
  { flag: 'pretrain-momentum', value: '<mu>', description: 'pre-training momentum (0: plain SGD)', parse: parsers.nonNegative },
];

/** The pre-training pictures' names: a prefix keeps them apart from the fine-tuned net's. */
const PRETRAINED = 'pretrained';

/** What a step after pre-training gets: the data, the options, where to write, how to report. */
export interface FollowUpStep<O> {
  data: MnistData;
  options: O;
  /** The run's --out folder, and the pre-trained model's picture folder in it. */
  out: string;
  pictures: string;
  log: (line: string) => void;
  progress: PretrainProgress | undefined;
}

export interface DeepNetworkRecipeDefinition<O> {
  name: string;
  description: string;
  /** The tutorial's values of the common options and of the pre-training options. */
  defaults: Record<string, OptionDefault>;
  modelOptions: readonly OptionSpec[];
  build(options: CommonOptions & PretrainingOptions & O, data: ClassifierConfig): DeepNetwork;
  /** Pre-training settings that depend on other options (the DNN's differ for autoencoders and RBMs). */
  pretraining?(options: CommonOptions & PretrainingOptions & O): Partial<PretrainingOptions>;
  /**
   * Training of the pre-trained model before its pictures and fine-tuning (a DBN's up-down fine-tuning);
   * returns figures for the summary, `seconds` and `cpu_seconds` among them, or nothing when it did no work.
   */
  afterPretraining?(
    model: DeepNetwork,
    step: FollowUpStep<CommonOptions & PretrainingOptions & O>,
  ): (Record<string, unknown> & { seconds: number; cpu_seconds: number }) | undefined;
  /** Pictures of the pre-trained model beyond filters and costs (a DBN's generated digits). */
  pictures?(
    model: DeepNetwork, out: string, data: MnistData, options: CommonOptions & PretrainingOptions & O,
  ): Record<string, string>;
}

/**
 * A recipe that pre-trains a deep network, then fine-tunes it as the supervised recipes do.
 * @example export const sdaRecipe = deepNetworkRecipe({ name: 'sda', defaults: { 'pretrain-epochs': 15, ... }, ... });
 */
export function deepNetworkRecipe<O>(definition: DeepNetworkRecipeDefinition<O>): Recipe {
  // What build learns while pre-training, for the summary run() returns.
  let context: RunContext = {};
  let pretraining: Record<string, unknown> = {};
  const base = classifierRecipe<PretrainingOptions & O>({
    name: definition.name,
    description: definition.description,
    defaults: definition.defaults,
    modelOptions: [...withDefaults(PRETRAINING_OPTIONS, definition.defaults), ...definition.modelOptions],
    stage: 'finetune',
    build(parsed, shape) {
      const o = { ...parsed, ...definition.pretraining?.(parsed) };
      const model = definition.build(o, shape);
      const out = o.out ?? join('runs', definition.name);
      const metrics = join(out, RUN_FILES.metrics);
      // Each stage keeps its own lines on --resume; a fresh run starts the file afresh.
      if (!o.resume) rmSync(metrics, { force: true });
      if (o.pretrainEpochs === 0 || model.pretrainingLayers.length === 0) return model;
      // The supervised recipe loads the data for fine-tuning; pre-training needs the training images first.
      const { data } = loadDataset(o.dataset, o.limit, o.validationSize, o.pixelScale, o.classes);
      makeFolder(out);
      const checkpoint = join(out, `${PRETRAINED}-${UNSUPERVISED_FILES.checkpoint}`);
      if (!o.resume) rmSync(checkpoint, { force: true });
      const [log, progress] = [progressLog(context.quiet), pretrainProgressBar(context.quiet)];
      const result = pretrainNetwork(model, data.train, {
        epochs: o.pretrainEpochs, batchSize: o.pretrainBatchSize,
        learningRate: o.pretrainLr, momentum: o.pretrainMomentum,
        checkpoint, resume: o.resume, log, progress, metrics, metricsStage: (i) => `pretrain-${i + 1}`,
      });
      const dir = join(out, PRETRAINED);
      makeFolder(dir);
      const followUp = definition.afterPretraining?.(model, { data, options: o, out, pictures: dir, log, progress });
      // The hidden layers hold the pre-trained weights now (a joined top RBM's label rows left out).
      const weights = model.hiddenLayers.map((layer) => layer.W.value);
      const pictures = {
        ...Object.fromEntries(weights.map((_, i) => [`filters_layer${i + 1}`, writeFilters(dir, weights.slice(0, i + 1), data.imageShape)])),
        ...definition.pictures?.(model, dir, data, o),
      };
      pretraining = {
        pretrain_seconds: Number(result.seconds.toFixed(3)),
        pretrain_cpu_seconds: Number(result.cpuSeconds.toFixed(3)),
        pretrain_epochs: o.pretrainEpochs,
        pretrain_monitors: result.monitorNames,
        pretrain_history: result.history,
        pretrain_pictures: pictures,
        pretrain_checkpoint: checkpoint,
        ...(followUp && { after_pretraining: followUp }),
      };
      return model;
    },
  });
  return {
    ...base,
    async run(raw, runContext = {}) {
      context = runContext;
      pretraining = {};
      const summary = await base.run(raw, runContext);
      const followUp = pretraining.after_pretraining as { seconds: number; cpu_seconds: number } | undefined;
      const before = (key: 'seconds' | 'cpu_seconds') => ((pretraining[`pretrain_${key}`] as number | undefined) ?? 0) + (followUp?.[key] ?? 0);
      return {
        ...summary, ...pretraining,
        seconds: summary.seconds + before('seconds'), finetune_seconds: summary.seconds,
        cpu_seconds: (summary.cpu_seconds as number) + before('cpu_seconds'), finetune_cpu_seconds: summary.cpu_seconds,
      };
    },
  };
}
