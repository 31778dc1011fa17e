import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { EditorState, TextSelection } from 'prosemirror-state';
import { yXmlFragmentToProseMirrorRootNode } from 'y-prosemirror';
import { anchorFromSelection, anchoredText, resolveRange, toEditorRange } from '../../client/screens/declaration/comments/anchors.ts';
import type { Me } from '../../client/screens/declaration/comments/api.ts';
import { canChange, canResolve, canWrite, myDelegation } from '../../client/screens/declaration/comments/rules.ts';
import { ThreadStore } from '../../client/screens/declaration/comments/store.ts';
import type { ThreadView } from '../../shared/comments.ts';
import { cellSchema } from '../../shared/editor/schema.ts';
import { getPair, insertPair, paragraphXmlText } from '../../shared/model/index.ts';

/** The comment anchors, the thread store and the permission rules of the page, without a browser. */

function cellState(fragment: Y.XmlFragment, from?: number, to?: number): EditorState {
  const doc = yXmlFragmentToProseMirrorRootNode(fragment, cellSchema);
  const state = EditorState.create({ schema: cellSchema, doc });
  return from === undefined ? state : state.apply(state.tr.setSelection(TextSelection.create(doc, from, to)));
}

/** ProseMirror position of a character offset in the first paragraph. */
const pm = (offset: number) => 1 + offset;

describe('comment anchors in the page', () => {
  const setup = () => {
    const doc = new Y.Doc();
    insertPair(doc, { id: 'p', vi: 'Hai bên khẳng định hợp tác', fr: 'Les deux parties affirment\nleur coopération durable' });
    return { doc, fr: getPair(doc, 'p')!.cell('fr'), vi: getPair(doc, 'p')!.cell('vi') };
  };

  it('anchors the selected words, trimmed of spaces, and finds them again', () => {
    const { doc, vi } = setup();
    const text = 'Hai bên khẳng định hợp tác';
    const from = text.indexOf(' khẳng');
    const selected = anchorFromSelection(cellState(vi, pm(from), pm(from + ' khẳng định '.length)), vi);
    expect(selected).toMatchObject({ ok: true, quote: 'khẳng định' });
    if (!selected.ok) return;
    expect(anchoredText(doc, vi, selected.anchor)).toBe('khẳng định');
    const range = resolveRange(doc, vi, selected.anchor);
    expect(range).toMatchObject({ state: 'live', paragraph: 0, from: from + 1, to: from + 1 + 'khẳng định'.length });
  });

  it('follows edits before and inside the words, maps them into a later paragraph, and detaches when they go', () => {
    const { doc, fr } = setup();
    const second = 'leur coopération durable';
    // "coopération" in the second paragraph: PM positions count the first paragraph's node.
    const first = 'Les deux parties affirment';
    const base = first.length + 2 + 1;
    const start = second.indexOf('coopération');
    const selected = anchorFromSelection(cellState(fr, base + start, base + start + 'coopération'.length), fr);
    if (!selected.ok) throw new Error(selected.reason);

    const text = paragraphXmlText(fr.get(1) as Y.XmlElement)!;
    text.insert(0, 'pour ');
    text.insert('pour leur coopé'.length, 'ÉE');
    expect(anchoredText(doc, fr, selected.anchor)).toBe('coopéÉEration');
    const range = resolveRange(doc, fr, selected.anchor);
    if (range.state !== 'live') throw new Error(range.state);
    const state = cellState(fr);
    const at = toEditorRange(state.doc, range)!;
    expect(state.doc.textBetween(at.from, at.to)).toBe('coopéÉEration');

    text.delete('pour leur '.length, 'coopéÉEration'.length);
    expect(resolveRange(doc, fr, selected.anchor)).toEqual({ state: 'detached' });
  });

  it('refuses empty selections and selections across paragraphs', () => {
    const { fr } = setup();
    expect(anchorFromSelection(cellState(fr, 3, 3), fr)).toEqual({ ok: false, reason: 'empty' });
    expect(anchorFromSelection(cellState(fr, 3, 32), fr)).toEqual({ ok: false, reason: 'paragraphs' });
    expect(anchorFromSelection(cellState(fr, 4, 5), fr)).toEqual({ ok: false, reason: 'empty' }); // a space only
  });

  it('says "unknown" for an anchor this page has not received yet, and "detached" for garbage', () => {
    const { doc, fr } = setup();
    const other = new Y.Doc();
    insertPair(other, { id: 'q', fr: 'ailleurs' });
    const text = paragraphXmlText(getPair(other, 'q')!.cell('fr').get(0) as Y.XmlElement)!;
    const selected = anchorFromSelection(cellState(getPair(other, 'q')!.cell('fr'), 1, 4), getPair(other, 'q')!.cell('fr'));
    if (!selected.ok) throw new Error(selected.reason);
    expect(text.length).toBe(8);
    expect(resolveRange(doc, fr, selected.anchor)).toEqual({ state: 'unknown' });
    expect(resolveRange(doc, fr, { start: '!!', end: '??' })).toEqual({ state: 'detached' });
  });
});

const thread = (id: string, extra: Partial<ThreadView> = {}): ThreadView => ({
  id,
  documentId: 'd',
  pairId: 'p',
  lang: 'vi',
  anchor: { start: 'AA==', end: 'AA==' },
  quote: 'x',
  detached: false,
  visibility: 'shared',
  delegation: 'vn',
  authorId: 'a-lan',
  status: 'open',
  createdAt: '2026-01-01T00:00:00Z',
  resolvedAt: null,
  resolvedBy: null,
  comments: [],
  ...extra,
});

describe('the thread store', () => {
  it('keeps what was pushed while a full load was on its way, and counts open threads by delegation', () => {
    const store = new ThreadStore();
    store.upsert(thread('old'));
    const mark = store.mark();
    store.upsert(thread('pushed', { delegation: 'fr' }), thread('old', { status: 'resolved' }));
    store.replaceAll([thread('old'), thread('loaded')], mark);
    expect(store.get('old')?.status).toBe('resolved');
    expect(store.all().map((t) => t.id).sort()).toEqual(['loaded', 'old', 'pushed']);
    expect([...store.openCountsByDelegation('p')].sort()).toEqual([
      ['fr', 1],
      ['vn', 1],
    ]);
  });
});

describe('who may do what with comments', () => {
  const me = (role: Me['role'], partyId: string | null, actions: Me['actions'] = ['read', 'comment']): Me => ({ accountId: `a-${role}-${partyId}`, name: role, role, partyId, actions });

  it('follows the server’s rules', () => {
    const lan: Me = { ...me('drafter', 'vn'), accountId: 'a-lan' };
    const vnHead = me('head', 'vn');
    const frHead = me('head', 'fr');
    const observer = me('observer', null, ['read']);
    const t = thread('t');
    expect(canResolve(lan, t)).toBe(true);
    expect(canResolve(vnHead, t)).toBe(true);
    expect(canResolve(frHead, t)).toBe(false);
    expect(canResolve(me('drafter', 'vn'), t)).toBe(false);
    expect(canWrite(observer)).toBe(false);
    expect(myDelegation(observer)).toBeNull();
    expect(myDelegation(me('secretariat', null))).toBe('#secretariat');
    const comment = { id: 'c', authorId: 'a-lan', authorName: 'Lê Thị Lan', body: 'x', createdAt: '', editedAt: null, deleted: false };
    expect(canChange(lan, comment)).toBe(true);
    expect(canChange(vnHead, comment)).toBe(false);
    expect(canChange(lan, { ...comment, deleted: true })).toBe(false);
  });
});
