import { delegationOf, type CommentView, type ThreadView } from '../../../../shared/comments.ts';
import type { Lang } from '../../../../shared/model/index.ts';
import type { PartySummary } from '../../../../shared/protocol.ts';
import { getLocale, t } from '../../../i18n/index.ts';
import type { Me } from './api.ts';

/**
 * What this member may do with comments (the page offers exactly what the
 * server will allow; the server checks again) and how delegations are named.
 */

export function canWrite(me: Me | undefined): boolean {
  return !!me?.actions.includes('comment');
}

/** Internal threads belong to a delegation: a member outside every delegation has none. */
export function myDelegation(me: Me | undefined): string | null {
  return me ? delegationOf(me) : null;
}

/** The thread's author, or a head of the thread's delegation, resolves and reopens it. */
export function canResolve(me: Me | undefined, thread: ThreadView): boolean {
  if (!me || !canWrite(me)) return false;
  return thread.authorId === me.accountId || (me.role === 'head' && delegationOf(me) === thread.delegation);
}

/** Only the author edits or deletes a comment. */
export function canChange(me: Me | undefined, comment: CommentView): boolean {
  return !!me && canWrite(me) && !comment.deleted && comment.authorId === me.accountId;
}

/** A delegation's full name in the interface language ("Phía Việt Nam", "Partie française", "Secretariat"). */
export function delegationName(delegation: string, parties: PartySummary[]): string {
  if (delegation === '#secretariat') return t('comments.delegation.secretariat');
  if (delegation === '#observers') return t('comments.delegation.observers');
  const party = parties.find((p) => p.id === delegation);
  if (!party) return delegation;
  return getLocale() === 'vi' ? party.name.vi : party.name.fr;
}

/** A short tag for badges: "VN", "FR", or the name for longer ids ("Hanoi", "Secretariat"). */
export function delegationTag(delegation: string, parties: PartySummary[]): string {
  if (delegation.startsWith('#')) return delegationName(delegation, parties);
  if (delegation.length <= 4) return delegation.toUpperCase();
  return delegation.charAt(0).toUpperCase() + delegation.slice(1);
}

/** Delegations in a stable order: the document's parties, then the secretariat and observers. */
export function delegationOrder(delegations: Iterable<string>, parties: PartySummary[]): string[] {
  const rank = (d: string): number => {
    const i = parties.findIndex((p) => p.id === d);
    if (i >= 0) return i;
    return d === '#secretariat' ? parties.length : parties.length + 1;
  };
  return [...new Set(delegations)].sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
}

/** Index of a delegation among the parties, for its colour (0, 1, … ; -1 for the others). */
export function delegationIndex(delegation: string, parties: PartySummary[]): number {
  return parties.findIndex((p) => p.id === delegation);
}

export function langName(lang: Lang): string {
  return lang === 'vi' ? t('comments.lang.vi') : t('comments.lang.fr');
}

const isMac = typeof navigator !== 'undefined' && /Mac|iP(hone|ad|od)/.test(navigator.platform);
/** The comment shortcut as people read it. */
export const COMMENT_SHORTCUT = isMac ? '⌥⌘M' : 'Ctrl+Alt+M';
export const SUBMIT_SHORTCUT = isMac ? '⌘↵' : 'Ctrl+Enter';
