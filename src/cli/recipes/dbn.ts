// `nabla train dbn`: the tutorial's deep belief network (chapter 10): three RBMs of 1000 units trained
// greedily with CD-1 (lr 0.01, 100 epochs per layer, minibatches of 10), then fine-tuned as a sigmoid
// MLP (lr 0.1, patience 4 epochs). Published: 1.34% test error (1.27% validation) after 615 + 101
// minutes on the tutorial's 4 cores. The top RBM is joined to the ten label units (the slides' digit
// model) and trained by PCD-k, so the run also draws digits of each class from the pre-trained DBN
// (pretrained/samples.png). With --up-down-epochs the generative model is first fine-tuned by Hinton et
// al.'s up-down algorithm, as the slides' digit model (784-500-500-2000) was.
import { join } from 'node:path';
import { rmSync } from 'node:fs';
import { Dbn } from '../../models/dbn.js';
import { UP_DOWN_STAGE, upDown } from '../../train/up-down.js';
import { deepNetworkRecipe } from './deep-network-recipe.js';
import { hiddenSizesOption } from './common-options.js';
import { parsers } from './options.js';
import { UNSUPERVISED_PICTURES, writeSamples } from './unsupervised-pictures.js';
import { curveFile } from '../../viz/index.js';
import { RUN_FILES } from '../../train/fit-classifier.js';
import { measureName } from '../../train/metrics.js';

interface DbnOptions {
  hidden: number[];
  k: number;
  joinLabels: boolean;
  persistentTop: boolean;
  softmaxLabels: boolean;
  upDownEpochs: number;
  upDownLr: number;
  upDownK: number[];
}

const UP_DOWN_CHECKPOINT = 'up-down-checkpoint.nbm';

export const dbnRecipe = deepNetworkRecipe<DbnOptions>({
  name: 'dbn',
  description: 'deep belief network (tutorial chapter 10; published 1.34% test error on MNIST), generating digits of a chosen class',
  defaults: {
    lr: 0.1, 'batch-size': 10, epochs: 1000, patience: 20000, seed: 123,
    'pretrain-epochs': 100, 'pretrain-batch-size': 10, 'pretrain-lr': 0.01, 'pretrain-momentum': 0,
  },
  modelOptions: [
    hiddenSizesOption('1000,1000,1000'),
    { flag: 'k', value: '<n>', description: 'Gibbs steps per CD-k update', default: 1, parse: parsers.positiveInt },
    { flag: 'join-labels', value: '<true|false>', description: 'join the top RBM to the label units, to generate digits of a chosen class', default: 'true', parse: parsers.boolean },
    { flag: 'persistent-top', value: '<true|false>', description: 'train the joined top RBM by persistent CD-k (better samples) rather than CD-k', default: 'true', parse: parsers.boolean },
    { flag: 'softmax-labels', value: '<true|false>', description: 'the joined label units form one softmax unit (false: independent binary units)', default: 'true', parse: parsers.boolean },
    { flag: 'up-down-epochs', value: '<n>', description: 'epochs of up-down fine-tuning of the generative model after pre-training (Hinton et al. 2006; minibatches and momentum as pre-training)', default: 0, parse: parsers.nonNegativeInt },
    { flag: 'up-down-lr', value: '<x>', description: 'up-down learning rate', default: 0.01, parse: parsers.positive },
    { flag: 'up-down-k', value: '<n[,n...]>', description: 'Gibbs steps in the top RBM per up-down update; a list runs in equal stages (the paper\'s 3,6,10)', default: '3', parse: parsers.intList },
  ],
  build: (o, shape) => new Dbn({ ...shape, hidden: o.hidden, pretraining: 'rbm', corruption: [0], k: o.k, joinLabels: o.joinLabels, persistentTop: o.persistentTop, softmaxLabels: o.softmaxLabels }, o.seed),
  afterPretraining: (model, { data, options: o, out, log, progress }) => {
    if (o.upDownEpochs === 0) return undefined;
    const checkpoint = join(out, UP_DOWN_CHECKPOINT);
    if (!o.resume) rmSync(checkpoint, { force: true });
    const result = upDown((model as Dbn).generative, data.train, {
      epochs: o.upDownEpochs, batchSize: o.pretrainBatchSize, learningRate: o.upDownLr,
      momentum: o.pretrainMomentum, k: o.upDownK,
      checkpoint, resume: o.resume, log, progress, metrics: join(out, RUN_FILES.metrics),
    });
    // Drawn with the run's other curves from metrics.jsonl when it ends.
    const cost = join(out, `${curveFile(measureName(result.monitorName), UP_DOWN_STAGE)}.png`);
    return {
      up_down_epochs: o.upDownEpochs,
      up_down_history: result.history,
      up_down_monitor: result.monitorName,
      up_down_cost_curve: cost,
      seconds: Number(result.seconds.toFixed(3)),
      cpu_seconds: Number(result.cpuSeconds.toFixed(3)),
    };
  },
  pictures: (model, out, data, o): Record<string, string> => {
    if (!(model as Dbn).config.joinLabels) return {};
    const labels = Array.from({ length: 10 }, (_, i) => i % (model as Dbn).config.classes);
    const digits = (model as Dbn).generate({ labels, samples: 10, gibbsSteps: 20, seed: o.seed });
    return {
      samples: writeSamples(join(out, UNSUPERVISED_PICTURES.samples), digits, labels.length, data.imageShape, false),
    };
  },
});
