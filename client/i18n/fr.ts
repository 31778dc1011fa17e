import type { MessageKey } from './en.ts';

/** Français. */
export const fr: Record<MessageKey, string> = {
  'app.name': 'Accord',
  'language.choose': 'Langue',
};
