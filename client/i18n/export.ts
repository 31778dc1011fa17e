/** Interface strings of the downloads (PDF and DOCX exports), in the three interface languages. */

export const exportEn = {
  'export.label': 'Download',
  'export.draft': 'Download the draft',
  'export.pdfParallel': 'PDF, side by side',
  'export.pdfVi': 'PDF, Vietnamese',
  'export.pdfFr': 'PDF, French',
  'export.pdfSequential': 'PDF, one language after the other',
  'export.docx': 'Word (DOCX), side by side',
  'export.docxVi': 'Word (DOCX), Vietnamese',
  'export.docxFr': 'Word (DOCX), French',
  'export.docxSequential': 'Word (DOCX), one language after the other',
  'export.json': 'The record, to check it (JSON)',
} as const;

export const exportFr: Record<keyof typeof exportEn, string> = {
  'export.label': 'Télécharger',
  'export.draft': 'Télécharger le projet',
  'export.pdfParallel': 'PDF, côte à côte',
  'export.pdfVi': 'PDF, vietnamien',
  'export.pdfFr': 'PDF, français',
  'export.pdfSequential': 'PDF, une langue après l’autre',
  'export.docx': 'Word (DOCX), côte à côte',
  'export.docxVi': 'Word (DOCX), vietnamien',
  'export.docxFr': 'Word (DOCX), français',
  'export.docxSequential': 'Word (DOCX), une langue après l’autre',
  'export.json': 'Le dossier, pour le vérifier (JSON)',
};

export const exportVi: Record<keyof typeof exportEn, string> = {
  'export.label': 'Tải xuống',
  'export.draft': 'Tải dự thảo',
  'export.pdfParallel': 'PDF, song ngữ đối chiếu',
  'export.pdfVi': 'PDF, tiếng Việt',
  'export.pdfFr': 'PDF, tiếng Pháp',
  'export.pdfSequential': 'PDF, lần lượt từng ngôn ngữ',
  'export.docx': 'Word (DOCX), song ngữ đối chiếu',
  'export.docxVi': 'Word (DOCX), tiếng Việt',
  'export.docxFr': 'Word (DOCX), tiếng Pháp',
  'export.docxSequential': 'Word (DOCX), lần lượt từng ngôn ngữ',
  'export.json': 'Hồ sơ để kiểm chứng (JSON)',
};
