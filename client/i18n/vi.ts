import { approvalsVi } from './approvals.ts';
import type { MessageKey } from './en.ts';

/** Tiếng Việt. */
export const vi: Record<MessageKey, string> = {
  ...approvalsVi,
  'app.name': 'Accord',
  'language.choose': 'Ngôn ngữ',
};
