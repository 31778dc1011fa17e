import { describe, expect, it } from 'vitest';
import { EditorState, TextSelection } from 'prosemirror-state';
import { cellSchema } from '../../shared/editor/schema.ts';
import { ambiguousInsertion } from '../../client/screens/declaration/sameCaret.ts';

/**
 * Which keystrokes the page inserts into the Y.Doc itself, at the caret
 * (sameCaret.ts): only insertions that a comparison of the texts would place
 * elsewhere, next to equal characters.
 */

const state = (text: string, caret: number): EditorState => {
  const doc = cellSchema.node('doc', null, [cellSchema.node('paragraph', null, text ? [cellSchema.text(text)] : [])]);
  return EditorState.create({ doc, selection: TextSelection.create(doc, caret + 1) });
};

describe('an insertion the caret places', () => {
  it('is a space typed before an equal space: at the caret, not after the other space', () => {
    // "Fin. " with the caret after "." (positions are ProseMirror's: the text starts at 1); a space typed there.
    expect(ambiguousInsertion(state('Fin. ', 4), state('Fin.  ', 5))).toEqual({ pos: 5, text: ' ' });
  });

  it('is a letter typed before the same letter: at the caret', () => {
    expect(ambiguousInsertion(state('xa', 1), state('xaa', 2))).toEqual({ pos: 2, text: 'a' });
  });

  it('is not a keystroke a comparison of the texts places right already', () => {
    expect(ambiguousInsertion(state('Fin.', 4), state('Fin. ', 5))).toBeNull();
    expect(ambiguousInsertion(state('xa', 2), state('xaa', 3))).toBeNull();
    expect(ambiguousInsertion(state('ab', 1), state('axb', 2))).toBeNull();
  });

  it('is not a deletion, a replacement or a selection', () => {
    expect(ambiguousInsertion(state('xaa', 2), state('xa', 1))).toBeNull();
    expect(ambiguousInsertion(state('xab', 2), state('xaa', 3))).toBeNull();
    const selected = state('xaa', 2);
    const doc = selected.doc;
    expect(ambiguousInsertion(state('xa', 1), EditorState.create({ doc, selection: TextSelection.create(doc, 1, 3) }))).toBeNull();
  });
});
