// nabla neighbours MODEL WORD: the words whose learned embeddings are nearest to WORD's by cosine, in a
// text model written by `nabla train rnnslu` (the tutorial's look at what the embeddings learned).
import type { Command } from 'commander';
import { ElmanRnn } from '../../models/index.js';
import { parsers } from '../recipes/options.js';

interface NeighboursOptions {
  k: string;
  json?: boolean;
}

/** Adds `nabla neighbours`. */
export function registerNeighbours(program: Command): void {
  program
    .command('neighbours')
    .description("nearest words by cosine of a text model's learned embeddings")
    .argument('<model>', 'a model file written by nabla train rnnslu (model.nbm)')
    .argument('<word>', "a word of the model's dictionary")
    .option('--k <n>', 'how many neighbours', '10')
    .option('--json', 'print one JSON object')
    .action((modelPath: string, word: string, options: NeighboursOptions) => {
      const k = parsers.positiveInt(options.k, 'k');
      const model = ElmanRnn.load(modelPath);
      let neighbours;
      try {
        neighbours = model.neighbours(word, k);
      } catch (e) {
        throw new Error(`${modelPath}: ${(e as Error).message}`, { cause: e });
      }
      if (options.json) {
        const rounded = neighbours.map((n) => ({ word: n.word, cosine: Number(n.cosine.toFixed(6)) }));
        console.log(JSON.stringify({ model: modelPath, word, neighbours: rounded }));
        return;
      }
      const width = Math.max(...neighbours.map((n) => n.word.length));
      console.log(neighbours.map((n) => `${n.word.padEnd(width)}  ${n.cosine.toFixed(4)}`).join('\n'));
    });
}
