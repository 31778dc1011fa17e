import { Schema, type MarkSpec, type NodeSpec } from 'prosemirror-model';

/**
 * The one ProseMirror schema of a paragraph cell (one language of one pair),
 * used by the browser editors and by the server alike. It is deliberately
 * small: a cell holds paragraphs of text with bold and italic, nothing that can
 * carry active content.
 */
const nodes: Record<string, NodeSpec> = {
  doc: { content: 'paragraph+' },
  paragraph: {
    content: 'text*',
    parseDOM: [{ tag: 'p' }],
    toDOM: () => ['p', 0],
  },
  text: {},
};

const marks: Record<string, MarkSpec> = {
  strong: {
    parseDOM: [{ tag: 'strong' }, { tag: 'b' }, { style: 'font-weight=bold' }],
    toDOM: () => ['strong', 0],
  },
  em: {
    parseDOM: [{ tag: 'em' }, { tag: 'i' }, { style: 'font-style=italic' }],
    toDOM: () => ['em', 0],
  },
};

export const cellSchema = new Schema({ nodes, marks });

/** Names of the marks a cell may carry; anything else is foreign. */
export const MARK_NAMES = ['strong', 'em'] as const;
export type MarkName = (typeof MARK_NAMES)[number];
