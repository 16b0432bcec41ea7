// Chunk-level precision, recall and F1 of IOB tags, counted exactly as conlleval.pl (the CoNLL-2000
// evaluation script, the one the ATIS tutorial runs) counts them: its rules for where a chunk starts
// and ends, and a chunk found correctly only when both sequences start it at the same word with the
// same type and end it at the same word, the types agreeing at every word between.

/** Counts over a corpus; rates are fractions (conlleval prints them in percent). */
export interface ChunkScore {
  /** Chunks in the gold tags. */
  goldChunks: number;
  /** Chunks in the guessed tags. */
  guessedChunks: number;
  /** Guessed chunks identical to a gold chunk (same words, same type). */
  correctChunks: number;
  /** Words (sentence boundaries not counted). */
  tokens: number;
  /** Words whose guessed tag equals the gold one. */
  correctTags: number;
  precision: number;
  recall: number;
  f1: number;
  accuracy: number;
}

interface Tag {
  /** 'B', 'I', 'O', or another prefix conlleval knows ('E', '[', ']', '.'). */
  prefix: string;
  type: string;
}

/** 'B-fromloc.city_name' → B, fromloc.city_name: split at the first hyphen, as conlleval does. */
function splitTag(tag: string): Tag {
  const dash = tag.indexOf('-');
  return dash < 0 ? { prefix: tag, type: '' } : { prefix: tag.slice(0, dash), type: tag.slice(dash + 1) };
}

const OUTSIDE: Tag = { prefix: 'O', type: '' };

const ENDS = new Set(['B B', 'B O', 'I B', 'I O', 'E E', 'E I', 'E O']);
const STARTS = new Set(['B B', 'I B', 'O B', 'O I', 'E E', 'E I', 'O E']);

/** conlleval's endOfChunk: did a chunk end between the previous word and this one? */
function endOfChunk(previous: Tag, current: Tag): boolean {
  if (ENDS.has(`${previous.prefix} ${current.prefix}`)) return true;
  if (previous.prefix !== 'O' && previous.prefix !== '.' && previous.type !== current.type) return true;
  return previous.prefix === ']' || previous.prefix === '[';
}

/** conlleval's startOfChunk: did a chunk start at this word? */
function startOfChunk(previous: Tag, current: Tag): boolean {
  if (STARTS.has(`${previous.prefix} ${current.prefix}`)) return true;
  if (current.prefix !== 'O' && current.prefix !== '.' && previous.type !== current.type) return true;
  return current.prefix === '[' || current.prefix === ']';
}

/**
 * conlleval.pl's counting, one word at a time; `endSentence` is its sentence boundary (an O O line),
 * which closes every open chunk. The ATIS tutorial also wraps each sentence in BOS and EOS words tagged
 * O: they close chunks as the boundary does and change none of the chunk counts.
 * @example const counter = new ChunkCounter(); counter.word('B-city', 'B-city'); counter.endSentence();
 * counter.score().f1 // 1
 */
export class ChunkCounter {
  private lastGold = OUTSIDE;
  private lastGuess = OUTSIDE;
  /** The chunk open in both sequences has matched so far. */
  private inCorrect = false;
  private counts = { goldChunks: 0, guessedChunks: 0, correctChunks: 0, tokens: 0, correctTags: 0 };

  /** One word's gold and guessed tags; `counted` false for words outside the text (BOS, EOS, boundaries). */
  word(goldTag: string, guessedTag: string, counted = true): void {
    const gold = splitTag(goldTag);
    const guess = splitTag(guessedTag);
    const goldEnds = endOfChunk(this.lastGold, gold);
    const guessEnds = endOfChunk(this.lastGuess, guess);
    if (this.inCorrect) {
      if (goldEnds && guessEnds && this.lastGuess.type === this.lastGold.type) {
        this.inCorrect = false;
        this.counts.correctChunks++;
      } else if (goldEnds !== guessEnds || guess.type !== gold.type) {
        this.inCorrect = false;
      }
    }
    const goldStarts = startOfChunk(this.lastGold, gold);
    const guessStarts = startOfChunk(this.lastGuess, guess);
    if (goldStarts && guessStarts && guess.type === gold.type) this.inCorrect = true;
    if (goldStarts) this.counts.goldChunks++;
    if (guessStarts) this.counts.guessedChunks++;
    if (counted) {
      if (gold.prefix === guess.prefix && gold.type === guess.type) this.counts.correctTags++;
      this.counts.tokens++;
    }
    this.lastGold = gold;
    this.lastGuess = guess;
  }

  /** A sentence boundary: both sequences outside any chunk. */
  endSentence(): void {
    this.word('O', 'O', false);
  }

  /** The counts so far and the rates conlleval prints (0 where it prints 0.00 for lack of chunks). */
  score(): ChunkScore {
    // conlleval counts a chunk still open at the end of its input as correct if it matched.
    const correctChunks = this.counts.correctChunks + (this.inCorrect ? 1 : 0);
    const { goldChunks, guessedChunks, tokens, correctTags } = this.counts;
    const precision = guessedChunks > 0 ? correctChunks / guessedChunks : 0;
    const recall = goldChunks > 0 ? correctChunks / goldChunks : 0;
    const f1 = precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
    return { ...this.counts, correctChunks, precision, recall, f1, accuracy: tokens > 0 ? correctTags / tokens : 0 };
  }
}

/**
 * Chunk precision, recall and F1 of guessed tag sequences against gold ones, sentence by sentence.
 * @example conlleval([['B-city', 'I-city', 'O']], [['B-city', 'O', 'O']]).f1 // 0
 */
export function conlleval(gold: readonly (readonly string[])[], guessed: readonly (readonly string[])[]): ChunkScore {
  if (gold.length !== guessed.length) throw new Error(`conlleval: ${gold.length} gold sentences but ${guessed.length} guessed ones`);
  const counter = new ChunkCounter();
  gold.forEach((sentence, s) => {
    if (sentence.length !== guessed[s].length) throw new Error(`conlleval: sentence ${s} has ${sentence.length} gold tags but ${guessed[s].length} guessed ones`);
    sentence.forEach((tag, i) => counter.word(tag, guessed[s][i]));
    counter.endSentence();
  });
  return counter.score();
}
