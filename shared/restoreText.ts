import type * as Y from 'yjs';
import { readPairContent, type CanonicalCell, type CanonicalPair } from './canonicalText.ts';
import { deletePair, getPair, insertPair, insertParagraphs, isPairKind, LANGS, orderArray, readOrder, setPairKind, type CellContent } from './model/index.ts';

/**
 * Restoring a version's text into the live draft: one edit that makes the
 * doc hold exactly the version's pairs, in its order, with its kinds and
 * text. It touches only what differs — a pair whose text is as in the
 * version keeps its content (and its approvals) — so what it changes is what
 * a comparison of the version with the draft showed.
 */

/** A canonical cell as the model's content (marks as flags). */
export function contentOfCell(cell: CanonicalCell): CellContent {
  return cell.map((paragraph) =>
    paragraph.map((run) => (run.marks ? { text: run.text, marks: Object.fromEntries(run.marks.map((mark) => [mark, true])) } : { text: run.text })),
  );
}

const sameCell = (a: CanonicalCell, b: CanonicalCell): boolean => JSON.stringify(a) === JSON.stringify(b);

export interface RestoreSummary {
  /** Pairs whose text or kind was changed back. */
  changed: number;
  /** Pairs put back (deleted since), and pairs removed (added since). */
  added: number;
  removed: number;
  /** Whether the order of the pairs changed. */
  reordered: boolean;
}

/** Makes `doc`'s text that of `pairs` (a version's), in one transaction. */
export function restoreText(doc: Y.Doc, pairs: readonly CanonicalPair[], origin?: unknown): RestoreSummary {
  const summary: RestoreSummary = { changed: 0, added: 0, removed: 0, reordered: false };
  const wanted = new Set(pairs.map((p) => p.id));
  const kept = readOrder(doc).filter((id) => wanted.has(id));
  const keptSet = new Set(kept);
  summary.reordered = kept.join('\u0000') !== pairs.flatMap((p) => (keptSet.has(p.id) ? [p.id] : [])).join('\u0000');
  doc.transact(() => {
    for (const id of readOrder(doc)) {
      if (wanted.has(id)) continue;
      deletePair(doc, id);
      summary.removed++;
    }
    for (const pair of pairs) {
      const kind = isPairKind(pair.kind) ? pair.kind : 'operative';
      const live = readPairContent(doc, pair.id);
      if (!live) {
        insertPair(doc, { id: pair.id, kind, vi: contentOfCell(pair.vi), fr: contentOfCell(pair.fr) });
        summary.added++;
        continue;
      }
      let changed = false;
      if (live.kind !== kind) {
        setPairKind(doc, pair.id, kind);
        changed = true;
      }
      for (const lang of LANGS) {
        if (sameCell(live[lang], pair[lang])) continue;
        const fragment = getPair(doc, pair.id)!.cell(lang);
        fragment.delete(0, fragment.length);
        insertParagraphs(fragment, 0, contentOfCell(pair[lang]));
        changed = true;
      }
      if (changed) summary.changed++;
    }
    const target = pairs.map((p) => p.id);
    const order = orderArray(doc);
    if (order.toArray().join('\u0000') !== target.join('\u0000')) {
      order.delete(0, order.length);
      order.insert(0, target);
    }
  }, origin);
  return summary;
}
