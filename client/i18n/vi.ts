import type { MessageKey } from './en.ts';

/** Tiếng Việt. */
export const vi: Record<MessageKey, string> = {
  'app.name': 'Accord',
  'language.choose': 'Ngôn ngữ',
};
