// nabla predict MODEL [INPUT]: the class and class probabilities of each image in a PNG or IDX file, or,
// for a text model (`nabla train rnnslu`), the tag of each word of a sentence given with --text.
import type { Command } from 'commander';
import { ElmanRnn, classifierFromFile, loadModelFile, type ModelFile } from '../../models/index.js';
import { setBackend, type BackendName } from '../../backends/index.js';
import { encodeWords } from '../../data/index.js';
import { readImages } from '../read-images.js';

interface PredictOptions {
  text?: string;
  invert?: boolean;
  backend?: BackendName;
  json?: boolean;
}

/** The tag of each word of `text`; words outside the dictionary are read as <UNK>, numbers as DIGIT shapes. */
function tagText(modelPath: string, file: ModelFile, text: string, json?: boolean): string {
  const model = ElmanRnn.fromModelFile(file, modelPath);
  const { tokens, indices } = encodeWords(text, model.config.words);
  const tags = Array.from(model.tag(indices), (l) => model.labels[l]);
  const read = Array.from(indices, (i) => model.config.words[i]);
  if (json) return JSON.stringify({ model: modelPath, text, words: tokens, read_as: read, tags });
  const width = Math.max(...tokens.map((t) => t.length));
  return tokens.map((t, i) => `${t.padEnd(width)}  ${tags[i]}${read[i] !== t ? `  (read as ${read[i]})` : ''}`).join('\n');
}

/** The most probable class and every class's probability for each image of `input`. */
function classifyImages(modelPath: string, file: ModelFile, input: string, options: PredictOptions): string {
  const model = classifierFromFile(file, modelPath);
  model.meta = file.meta ?? {};
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
  if (options.json) return JSON.stringify({ model: modelPath, input, predictions });
  const lines = predictions.map(({ index, class: label, probabilities: p }) => {
    const all = p.map((v, c) => `${c}: ${v.toFixed(4)}`).join('  ');
    return `${predictions.length > 1 ? `image ${index}: ` : ''}class ${label} (p = ${p[label].toFixed(4)})  [${all}]`;
  });
  return lines.join('\n');
}

/** Adds `nabla predict`. */
export function registerPredict(program: Command): void {
  program
    .command('predict')
    .description('class and probabilities of images (a PNG of one image, or an IDX file of one or many), or the tags of a sentence (--text)')
    .argument('<model>', 'a model file written by nabla train (model.nbm)')
    .argument('[input]', "for image models: a PNG or IDX file of images of the model's size (28x28 for MNIST models)")
    .option('--text <sentence>', "for text models (nabla train rnnslu): a sentence to tag, e.g. 'show me flights from boston'")
    .option('--invert', 'invert the grey levels first (for dark digits on a light background)')
    .option('--backend <name>', 'native or reference')
    .option('--json', 'print one JSON object')
    .action((modelPath: string, input: string | undefined, options: PredictOptions) => {
      if (options.backend) setBackend(options.backend);
      const file = loadModelFile(modelPath);
      if (file.kind === 'elman') {
        if (options.text === undefined) throw new Error(`${modelPath}: holds a text model (elman); give a sentence with --text 'show me flights from boston'`);
        if (input !== undefined) throw new Error(`${modelPath}: holds a text model (elman), which reads --text, not the file ${input}`);
        console.log(tagText(modelPath, file, options.text, options.json));
        return;
      }
      if (options.text !== undefined) throw new Error(`${modelPath}: holds an image model (${file.kind}), which does not read --text; give a PNG or IDX file`);
      if (input === undefined) throw new Error(`${modelPath}: holds an image model (${file.kind}); give a PNG or IDX file of images to classify`);
      console.log(classifyImages(modelPath, file, input, options));
    });
}
