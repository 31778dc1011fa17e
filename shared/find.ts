/**
 * Finding words in a declaration's text, pure: what "the same words" means
 * for find and replace, comment search and comment anchors.
 *
 * Two texts match when, letter by letter, they are equal after folding:
 * - Unicode normalisation does not matter (NFC "ộ" = NFD "o" + U+0323 + U+0302);
 * - case does not matter ("Hà Nội" = "hà nội");
 * - every space is a space (U+00A0 and U+202F, which French typography puts
 *   before ":" and "?", are found by a typed space), and ’ is '.
 * With `tones`, Vietnamese tone marks are ignored too: the five marks (huyền,
 * sắc, ngã, hỏi, nặng: U+0300, U+0301, U+0303, U+0309, U+0323) are dropped, so
 * "hoà", "hòa" and "hoa" match (the old and new placements of the mark
 * included), while the letters ư, ơ, â, ê, ô, ă and đ stay letters of their
 * own ("hoa" does not find "hơa"): they change the word, not its tone.
 *
 * A letter is a base character with the combining marks that follow it; a
 * match starts and ends on letters, and its offsets are UTF-16 offsets in the
 * text as it is stored (NFC or not), ready for Y.XmlText.delete / insert.
 */

export interface FindOptions {
  /** Ignore Vietnamese tone marks (see above). */
  tones?: boolean;
}

/** Characters [from, to) of a text. */
export interface TextMatch {
  from: number;
  to: number;
}

const TONE_MARKS = /[\u0300\u0301\u0303\u0309\u0323]/g;
const MARK = /\p{M}/u;
const SPACE = /\s/u;

/** The folded form of one letter (a base character and its combining marks). */
function foldLetter(letter: string, options: FindOptions): string {
  if (letter.length === 1 && letter < '\u00c0') {
    // ASCII and Latin-1 controls and punctuation: the fast path of most French text.
    return SPACE.test(letter) ? ' ' : letter.toLowerCase();
  }
  if (SPACE.test(letter)) return ' ';
  if (letter === '\u2019' || letter === '\u02bc') return "'";
  let decomposed = letter.normalize('NFD');
  if (options.tones) decomposed = decomposed.replace(TONE_MARKS, '');
  return decomposed.normalize('NFC').toLowerCase();
}

/** Splits a text into letters: each base character with the combining marks after it. */
function letters(text: string): Array<{ from: number; to: number }> {
  const out: Array<{ from: number; to: number }> = [];
  let i = 0;
  while (i < text.length) {
    const start = i;
    i += text.codePointAt(i)! > 0xffff ? 2 : 1;
    while (i < text.length) {
      const cp = text.codePointAt(i)!;
      const ch = String.fromCodePoint(cp);
      if (!MARK.test(ch)) break;
      i += ch.length;
    }
    out.push({ from: start, to: i });
  }
  return out;
}

/** A folded text and, for each of its UTF-16 units, the letter of the original it comes from. */
interface Folded {
  text: string;
  /** letterOf[k]: index of the original letter folded unit k belongs to. */
  letterOf: number[];
  /** True at k when unit k is the first of its letter's folded form. */
  letterStart: boolean[];
  letters: Array<{ from: number; to: number }>;
}

function fold(text: string, options: FindOptions): Folded {
  const spans = letters(text);
  let out = '';
  const letterOf: number[] = [];
  const letterStart: boolean[] = [];
  spans.forEach((span, index) => {
    const folded = foldLetter(text.slice(span.from, span.to), options);
    for (let k = 0; k < folded.length; k++) {
      letterOf.push(index);
      letterStart.push(k === 0);
    }
    out += folded;
  });
  return { text: out, letterOf, letterStart, letters: spans };
}

/** The folded form of a text (what the matching compares). */
export function foldForFind(text: string, options: FindOptions = {}): string {
  return fold(text, options).text;
}

/** Every match of `query` in `text`, left to right, not overlapping. An empty query matches nothing. */
export function findInText(text: string, query: string, options: FindOptions = {}): TextMatch[] {
  const needle = foldForFind(query, options);
  if (needle.length === 0 || text.length === 0) return [];
  const hay = fold(text, options);
  const matches: TextMatch[] = [];
  let at = hay.text.indexOf(needle);
  while (at >= 0) {
    const end = at + needle.length; // exclusive, in folded units
    const startsOnLetter = hay.letterStart[at];
    const endsOnLetter = end === hay.text.length || hay.letterStart[end];
    if (startsOnLetter && endsOnLetter) {
      matches.push({ from: hay.letters[hay.letterOf[at]!]!.from, to: hay.letters[hay.letterOf[end - 1]!]!.to });
      at = hay.text.indexOf(needle, end);
    } else {
      at = hay.text.indexOf(needle, at + 1);
    }
  }
  return matches;
}

/** True when `query` occurs in `text` (folded as above; no tone folding unless asked). */
export function textIncludes(text: string, query: string, options: FindOptions = {}): boolean {
  return findInText(text, query, options).length > 0;
}

/** True when two texts are the same words (folded as above, whole). */
export function sameWords(a: string, b: string, options: FindOptions = {}): boolean {
  return foldForFind(a, options) === foldForFind(b, options);
}
