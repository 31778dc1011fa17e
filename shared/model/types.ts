/** The two languages of a declaration, in the order they are shown (left, right). */
export const LANGS = ['vi', 'fr'] as const;
export type Lang = (typeof LANGS)[number];

/** What a paragraph pair is within the declaration. */
export const PAIR_KINDS = ['title', 'preamble', 'operative', 'closing'] as const;
export type PairKind = (typeof PAIR_KINDS)[number];

export function isPairKind(value: unknown): value is PairKind {
  return typeof value === 'string' && (PAIR_KINDS as readonly string[]).includes(value);
}

/** A run of text with its marks, as stored in a cell. */
export interface TextRun {
  text: string;
  marks?: { strong?: boolean; em?: boolean };
}

/** A cell's content: paragraphs, each a list of runs. */
export type CellContent = TextRun[][];

/** Content given to create a pair: plain string (one paragraph) or runs. */
export type CellInput = string | CellContent;

/** Plain-text view of a pair, as every hash, diff and check sees it. */
export interface PairText {
  id: string;
  kind: PairKind;
  vi: string;
  fr: string;
}
