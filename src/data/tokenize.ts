// Text to word indices as the IMDB data were built: Moses' tokenizer.perl (-l en) then ASCII lower-case,
// looked up in the data's dictionary. This is an approximation of the Perl script, close enough for
// everyday sentences: punctuation split off, "n't"/"'s" as in Moses ("don't" → "don 't"), a final period
// split unless the word is an abbreviation, and Moses' escapes (&apos; &quot; &amp; &lt; &gt; ...). It
// does not carry Moses' full list of non-breaking prefixes nor its rules for numbers inside words.
import { UNKNOWN, type ImdbDictionary } from './imdb.js';

/** Words Moses keeps whole before a period (a few of its English non-breaking prefixes). */
const PREFIXES = new Set(['mr', 'mrs', 'ms', 'dr', 'prof', 'sr', 'jr', 'st', 'vs', 'etc', 'no', 'mt', 'lt', 'col', 'gen', 'sgt', 'rev', 'jan', 'feb', 'aug', 'sept', 'oct', 'nov', 'dec']);

const ESCAPES: [RegExp, string][] = [
  [/&/g, '&amp;'], [/\|/g, '&#124;'], [/</g, '&lt;'], [/>/g, '&gt;'],
  [/'/g, '&apos;'], [/"/g, '&quot;'], [/\[/g, '&#91;'], [/\]/g, '&#93;'],
];

/**
 * Tokens of a text, roughly as `tokenizer.perl -l en` and lower-casing made them for the IMDB data.
 * @example tokenize("I didn't like it...") // ['i', 'didn', '&apos;t', 'like', 'it', '...']
 */
export function tokenize(text: string): string[] {
  let s = ` ${text.replace(/\s+/gu, ' ')} `;
  // Every character but letters, digits, spaces and . ' ` , - stands alone.
  s = s.replace(/([^\p{L}\p{N}\s.'`,-])/gu, ' $1 ');
  // Runs of periods stay together as one token.
  s = s.replace(/\.{2,}/g, (dots) => ` ${dots} `);
  // Commas split off unless between two digits.
  s = s.replace(/([^\p{N}]),/gu, '$1 , ').replace(/,([^\p{N}])/gu, ' , $1');
  // English apostrophes: "don't" → "don 't", "movie's" → "movie 's"; others stand alone.
  s = s.replace(/([^\p{L}])'([^\p{L}])/gu, "$1 ' $2")
    .replace(/([^\p{L}\p{N}])'(\p{L})/gu, "$1 ' $2")
    .replace(/(\p{L})'([^\p{L}])/gu, "$1 ' $2")
    .replace(/(\p{L})'(\p{L})/gu, "$1 '$2");
  const words = s.trim().split(/\s+/u).filter((w) => w !== '').flatMap((word) => {
    // A final period splits off, except after abbreviations ("u.s.", "mr.") and runs of periods.
    const m = /^(.*[^.])\.$/u.exec(word);
    if (!m) return [word];
    const stem = m[1];
    const abbreviation = stem.includes('.') && /\p{L}/u.test(stem) || PREFIXES.has(stem.toLowerCase());
    return abbreviation ? [word] : [stem, '.'];
  });
  return words.map((w) => ESCAPES.reduce((t, [re, by]) => t.replace(re, by), w).replace(/[A-Z]/g, (c) => c.toLowerCase()));
}

/**
 * Word indices of a text in an IMDB dictionary: words outside it, or of index ≥ nWords, are UNKNOWN.
 * @example encodeText('a great movie', dictionary, 10000) // Int32Array [6, 100, 25]
 */
export function encodeText(text: string, dictionary: ImdbDictionary, nWords: number): Int32Array {
  return Int32Array.from(tokenize(text), (w) => {
    const index = dictionary.index.get(w);
    return index === undefined || index >= nWords ? UNKNOWN : index;
  });
}
