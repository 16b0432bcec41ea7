// nabla predict MODEL [INPUT]: the class and class probabilities of each image in a PNG or IDX file; for
// text models, of each text given with --text (lstm, bow: its sentiment; elman: the tag of each word).
import type { Command } from 'commander';
import { isSequenceClassifierKind, loadClassifier, loadModelFile, pixelScaleOf } from '../../models/index.js';
import { setBackend, type BackendName } from '../../backends/index.js';
import { readImages } from '../read-images.js';
import { describeTextPrediction, predictTexts } from '../predict-text.js';
import { describeTaggedText, tagTexts } from '../tag-text.js';

interface PredictOptions {
  invert?: boolean;
  text?: string[];
  dict?: string;
  backend?: BackendName;
  json?: boolean;
}

/** The most probable class and every class's probability for each image of `input`. */
function classifyImages(modelPath: string, input: string, options: PredictOptions): string {
  const model = loadClassifier(modelPath);
  const images = readImages(input, model.config.imageShape, {
    invert: options.invert,
    pixelScale: pixelScaleOf(modelPath, model.meta),
  });
  const probabilities = model.predictProba(images);
  const k = model.config.classes;
  const predictions = Array.from({ length: images.shape[0] }, (_, i) => {
    const p = Array.from(probabilities.data.subarray(i * k, (i + 1) * k));
    return { index: i, class: p.indexOf(Math.max(...p)), probabilities: p.map((v) => Number(v.toFixed(6))) };
  });
  if (options.json) return JSON.stringify({ model: modelPath, input, predictions });
  return predictions.map(({ index, class: label, probabilities: p }) => {
    const all = p.map((v, c) => `${c}: ${v.toFixed(4)}`).join('  ');
    return `${predictions.length > 1 ? `image ${index}: ` : ''}class ${label} (p = ${p[label].toFixed(4)})  [${all}]`;
  }).join('\n');
}

/** Adds `nabla predict`. */
export function registerPredict(program: Command): void {
  program
    .command('predict')
    .description('class and probabilities of images (a PNG of one image, or an IDX file of one or many), or of texts (--text)')
    .argument('<model>', 'a model file written by nabla train (model.nbm)')
    .argument('[input]', "a PNG or IDX file of images of the model's size (28x28 for MNIST models); text models take --text")
    .option('--invert', 'invert the grey levels first (for dark digits on a light background)')
    .option('--text <text...>', "text models: the texts to classify (lstm, bow) or the sentences to tag (rnnslu: 'show me flights from boston')")
    .option('--dict <file>', 'text models (lstm, bow): the dictionary (default: the one the model was trained with)')
    .option('--backend <name>', 'native or reference')
    .option('--json', 'print one JSON object')
    .action((modelPath: string, input: string | undefined, options: PredictOptions) => {
      if (options.backend) setBackend(options.backend);
      const file = loadModelFile(modelPath);
      // Text models read --text; every other model reads images from INPUT.
      if (file.kind === 'elman' || isSequenceClassifierKind(file.kind)) {
        if (!options.text?.length) throw new Error(`${modelPath}: holds a text model (${file.kind}); give the text with --text 'show me flights from boston'`);
        if (input !== undefined) throw new Error(`${modelPath}: holds a text model (${file.kind}), which reads --text, not the file ${input}`);
        if (file.kind === 'elman') {
          const tagged = tagTexts(modelPath, file, options.text);
          console.log(options.json ? JSON.stringify({ model: modelPath, predictions: tagged }) : tagged.map(describeTaggedText).join('\n\n'));
          return;
        }
        const predictions = predictTexts(modelPath, options.text, options.dict);
        console.log(options.json ? JSON.stringify({ model: modelPath, predictions }) : predictions.map(describeTextPrediction).join('\n'));
        return;
      }
      if (options.text !== undefined) throw new Error(`${modelPath}: holds an image model (${file.kind}), which does not read --text; give a PNG or IDX file`);
      if (input === undefined) throw new Error(`${modelPath}: holds an image model (${file.kind}); give a PNG or IDX file of images to classify`);
      console.log(classifyImages(modelPath, input, options));
    });
}
