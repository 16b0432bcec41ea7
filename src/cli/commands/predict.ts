// nabla predict MODEL INPUT: the class and class probabilities of each image in a PNG or IDX file.
import type { Command } from 'commander';
import { loadClassifier } from '../../models/index.js';
import { setBackend, type BackendName } from '../../backends/index.js';
import { readImages } from '../read-images.js';
import { loadModelFile } from '../../models/model-file.js';
import { isSequenceClassifierKind } from '../../models/index.js';
import { describeTextPrediction, predictTexts } from '../predict-text.js';

interface PredictOptions {
  invert?: boolean;
  text?: string[];
  dict?: string;
  backend?: BackendName;
  json?: boolean;
}

/** Adds `nabla predict`. */
export function registerPredict(program: Command): void {
  program
    .command('predict')
    .description('class and probabilities of images (a PNG of one image, or an IDX file of one or many)')
    .argument('<model>', 'a model file written by nabla train (model.nbm)')
    .argument('[input]', "a PNG or IDX file of images of the model's size (28x28 for MNIST models); text models take --text")
    .option('--invert', 'invert the grey levels first (for dark digits on a light background)')
    .option('--text <text...>', 'text models (lstm, bow): the texts to classify')
    .option('--dict <file>', 'text models: the dictionary (default: the one the model was trained with)')
    .option('--backend <name>', 'native or reference')
    .option('--json', 'print one JSON object')
    .action((modelPath: string, input: string | undefined, options: PredictOptions) => {
      if (options.backend) setBackend(options.backend);
      // Text models (lstm, bow) read --text; every other model reads images from INPUT.
      if (isSequenceClassifierKind(loadModelFile(modelPath).kind)) {
        if (!options.text?.length) throw new Error(`${modelPath} is a text model: give the text with --text '...'`);
        const predictions = predictTexts(modelPath, options.text, options.dict);
        console.log(options.json ? JSON.stringify({ model: modelPath, predictions }) : predictions.map(describeTextPrediction).join('\n'));
        return;
      }
      if (input === undefined) throw new Error(`${modelPath}: give an image file to classify`);
      const model = loadClassifier(modelPath);
      const images = readImages(input, model.config.imageShape, {
        invert: options.invert,
        pixelScale: Number(model.meta.pixel_scale ?? 255),
      });
      const probabilities = model.predictProba(images);
      const k = model.config.classes;
      const predictions = Array.from({ length: images.shape[0] }, (_, i) => {
        const p = Array.from(probabilities.data.subarray(i * k, (i + 1) * k));
        return { index: i, class: p.indexOf(Math.max(...p)), probabilities: p.map((v) => Number(v.toFixed(6))) };
      });
      if (options.json) {
        console.log(JSON.stringify({ model: modelPath, input, predictions }));
        return;
      }
      const lines = predictions.map(({ index, class: label, probabilities: p }) => {
        const all = p.map((v, c) => `${c}: ${v.toFixed(4)}`).join('  ');
        return `${predictions.length > 1 ? `image ${index}: ` : ''}class ${label} (p = ${p[label].toFixed(4)})  [${all}]`;
      });
      console.log(lines.join('\n'));
    });
}
