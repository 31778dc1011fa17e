import { commentsEn } from './comments.ts';

/** English: the reference catalogue. Every key here must exist in fr.ts and vi.ts. */
export const en = {
  ...commentsEn,
  'app.name': 'Accord',
  'language.choose': 'Language',
} as const;

export type MessageKey = keyof typeof en;
