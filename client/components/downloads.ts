import { h } from '../lib/dom.ts';
import { t, type MessageKey } from '../i18n/index.ts';

/** The exports a member may download, as the server names them (format × layout). */
const CHOICES: Array<{ format: 'pdf' | 'docx' | 'json'; layout: 'parallel' | 'vi' | 'fr' | 'sequential'; label: MessageKey }> = [
  { format: 'pdf', layout: 'parallel', label: 'export.pdfParallel' },
  { format: 'pdf', layout: 'vi', label: 'export.pdfVi' },
  { format: 'pdf', layout: 'fr', label: 'export.pdfFr' },
  { format: 'pdf', layout: 'sequential', label: 'export.pdfSequential' },
  { format: 'docx', layout: 'parallel', label: 'export.docx' },
  { format: 'docx', layout: 'vi', label: 'export.docxVi' },
  { format: 'docx', layout: 'fr', label: 'export.docxFr' },
  { format: 'docx', layout: 'sequential', label: 'export.docxSequential' },
  // The record itself (text, seal, signatures, chain head), for `accord verify --against` and anyone checking it.
  { format: 'json', layout: 'parallel', label: 'export.json' },
];

/** The download URL of a version (or the draft) in one format and layout. */
export function exportUrl(documentId: string, version: number | 'draft', format: 'pdf' | 'docx' | 'json', layout: string): string {
  const query = new URLSearchParams({ format, layout, version: String(version) });
  return `/api/documents/${encodeURIComponent(documentId)}/export?${query}`;
}

/**
 * A "Download" menu (a native <details>, so it works with the keyboard and
 * without script state) listing every export of a version or of the draft.
 */
export function downloadsMenu(documentId: string, version: number | 'draft'): HTMLElement {
  return h(
    'details',
    { class: 'downloads', attrs: { 'data-testid': 'downloads', 'data-version': String(version) } },
    h('summary', { class: 'btn btn--secondary btn--small', text: version === 'draft' ? t('export.draft') : t('export.label') }),
    h(
      'ul',
      { class: 'downloads__list' },
      ...CHOICES.map((choice) =>
        h(
          'li',
          {},
          h('a', {
            text: t(choice.label),
            attrs: {
              href: exportUrl(documentId, version, choice.format, choice.layout),
              download: '',
              'data-testid': `download-${choice.format}-${choice.layout}`,
            },
          }),
        ),
      ),
    ),
  );
}
