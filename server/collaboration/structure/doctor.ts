import { limits } from '../../../shared/limits.ts';
import { findForeignStructure, type ForeignStructure } from '../../../shared/model/structure.ts';
import type { Store } from '../../store/types.ts';
import { RoomPersistence } from '../persistence.ts';

/** One stored document as `accord doctor` reports it. */
export interface DocumentExamination {
  documentId: string;
  /** Live content outside the declaration's tree (at most 20 listed). */
  foreign: ForeignStructure[];
}

/**
 * Reads each stored document (all, or those named) from its update log and
 * lists what it holds outside the declaration's tree — which only a
 * document stored before every update was checked can hold.
 */
export async function examineDocuments(store: Store, documentIds?: string[]): Promise<DocumentExamination[]> {
  const ids = documentIds ?? (await store.listDocuments()).map((doc) => doc.id);
  const examined: DocumentExamination[] = [];
  for (const documentId of ids) {
    const { doc } = await RoomPersistence.load(store, documentId, { compactAfterUpdates: limits.compactAfterUpdates });
    try {
      examined.push({ documentId, foreign: findForeignStructure(doc) });
    } finally {
      doc.destroy();
    }
  }
  return examined;
}

/** The report as the command line prints it. */
export function formatExamination(examined: DocumentExamination[]): string {
  const lines: string[] = [];
  for (const { documentId, foreign } of examined) {
    if (foreign.length === 0) {
      lines.push(`${documentId}: the text holds only the declaration's own structure.`);
      continue;
    }
    lines.push(`${documentId}: CONTENT OUTSIDE THE DECLARATION (no page shows it; it was stored before updates were checked):`);
    for (const { path, reason } of foreign) lines.push(`  ${path}: ${reason}`);
  }
  return lines.join('\n') || 'No documents.';
}
