// A 5x7 bitmap font (digits, lowercase letters, a little punctuation) so charts can label axes without
// a native canvas. Upper case draws as lower case; a character without a glyph draws as a hollow box.

export const GLYPH_WIDTH = 5;
export const GLYPH_HEIGHT = 7;
/** Horizontal distance from one character to the next: the glyph plus a column of space. */
export const GLYPH_ADVANCE = GLYPH_WIDTH + 1;

// Seven rows per glyph, top first, two hex digits per row; bit 4 (0x10) is the leftmost column.
const GLYPHS: Record<string, string> = {
  '0': '0e11131519110e', '1': '040c040404040e', '2': '0e11010204081f', '3': '1f02040201110e',
  '4': '02060a121f0202', '5': '1f101e0101110e', '6': '0608101e11110e', '7': '1f010204080808',
  '8': '0e11110e11110e', '9': '0e11110f01020c',
  a: '00000e010f110f', b: '1010161911111e', c: '00000e1010110e', d: '01010d1311110f',
  e: '00000e111f100e', f: '0609081c080808', g: '000f11110f010e', h: '10101619111111',
  i: '04000c0404040e', j: '0200060202120c', k: '10101214181412', l: '0c04040404040e',
  m: '00001a15151111', n: '00001619111111', o: '00000e1111110e', p: '00001e111e1010',
  q: '00000d130f0101', r: '00001619101010', s: '00000e100e011e', t: '08081c08080906',
  u: '0000111111130d', v: '00001111110a04', w: '0000111115150a', x: '0000110a040a11',
  y: '000011110f010e', z: '00001f0204081f',
  '.': '00000000000c0c', '-': '0000001f000000', '%': '18190204081303', ' ': '00000000000000',
  '(': '02040808080402', ')': '08040202020408', ':': '000c0c000c0c00', ',': '000000000c0408',
  '/': '00010204081000', '_': '0000000000001f', '+': '0004041f040400', '=': '00001f001f0000',
};

const UNKNOWN = '1f111111111f00';

/** The seven row bit-masks of `char`'s glyph. */
export function glyphRows(char: string): number[] {
  const code = GLYPHS[char] ?? GLYPHS[char.toLowerCase()] ?? UNKNOWN;
  return Array.from({ length: GLYPH_HEIGHT }, (_, row) => parseInt(code.slice(2 * row, 2 * row + 2), 16));
}

/**
 * The width in pixels of `text` drawn at `scale` (no trailing space after the last character).
 * @example textWidth('epoch') // 29
 */
export function textWidth(text: string, scale = 1): number {
  return text.length === 0 ? 0 : (text.length * GLYPH_ADVANCE - 1) * scale;
}
