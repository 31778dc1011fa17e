import { approvalsFr } from './approvals.ts';
import type { MessageKey } from './en.ts';

/** Français. */
export const fr: Record<MessageKey, string> = {
  ...approvalsFr,
  'app.name': 'Accord',
  'language.choose': 'Langue',
};
