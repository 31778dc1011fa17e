import { commentsFr } from './comments.ts';
import type { MessageKey } from './en.ts';

/** Français. */
export const fr: Record<MessageKey, string> = {
  ...commentsFr,
  'app.name': 'Accord',
  'language.choose': 'Langue',
};
