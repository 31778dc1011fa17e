import { commentsVi } from './comments.ts';
import type { MessageKey } from './en.ts';

/** Tiếng Việt. */
export const vi: Record<MessageKey, string> = {
  ...commentsVi,
  'app.name': 'Accord',
  'language.choose': 'Ngôn ngữ',
};
