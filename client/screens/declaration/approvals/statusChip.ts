import type { ApprovalStatus, ApprovalView } from '../../../../shared/approvals.ts';
import type { PartySummary } from '../../../../shared/protocol.ts';
import { h } from '../../../lib/dom.ts';
import { formatDateTime, getLocale, t, type MessageKey } from '../../../i18n/index.ts';
import './approvals.css';

/**
 * The status of one party's approval of one pair, as a small colour-coded
 * chip: agreed ✓, reserved (with the reason), stale (the text changed since),
 * or pending. Who and when are in the tooltip.
 */

/** The party's name in the interface language (Vietnamese for vi, French otherwise). */
export function partyName(party: PartySummary): string {
  return getLocale() === 'vi' ? party.name.vi : party.name.fr;
}

export const STATUS_GLYPH: Record<ApprovalStatus, string> = {
  agreed: '✓',
  reserved: '!',
  stale: '↻',
  pending: '·',
};

const STATUS_KEY: Record<ApprovalStatus, MessageKey> = {
  agreed: 'agreement.status.agreed',
  reserved: 'agreement.status.reserved',
  stale: 'agreement.status.stale',
  pending: 'agreement.status.pending',
};

export function statusLabel(status: ApprovalStatus): string {
  return t(STATUS_KEY[status]);
}

/** What an approval is of: a pair's text, or the structure (order and kinds of the pairs). */
export type ApprovalSubject = 'text' | 'structure';

/** "Agreed by Claire Dubois, 23 Nov 2026, 10:05" (and the reason, and that the text — or the structure — changed since). */
export function approvalDetail(status: ApprovalStatus, approval: ApprovalView | undefined, subject: ApprovalSubject = 'text'): string {
  if (!approval) return t('agreement.detail.pending');
  const who = { name: approval.byName, time: formatDateTime(approval.at) };
  const lines = [t(approval.status === 'agreed' ? 'agreement.detail.agreed' : 'agreement.detail.reserved', who)];
  if (approval.status === 'reserved' && approval.reason) lines.push(t('agreement.detail.reason', { reason: approval.reason }));
  if (status === 'stale') lines.push(t(subject === 'structure' ? 'structure.detail.stale' : 'agreement.detail.stale'));
  return lines.join('\n');
}

export interface ChipOptions {
  party: PartySummary;
  status: ApprovalStatus;
  approval: ApprovalView | undefined;
  /** Shows the party's name before the status (rows); the matrix has it in the column heading. */
  withParty?: boolean;
  /** Extra content at the end (e.g. the "What changed" button). */
  extra?: HTMLElement | null;
  /** What the approval is of (default: a pair's text): says what changed when it is stale. */
  subject?: ApprovalSubject;
}

export function statusChip(options: ChipOptions): HTMLElement {
  const { party, status, approval } = options;
  const detail = approvalDetail(status, approval, options.subject);
  const withReason = status === 'reserved' && !!approval?.reason;
  const text =
    withReason && approval?.reason
      ? t('agreement.status.reservedBecause', { reason: approval.reason })
      : status === 'stale' && options.subject === 'structure'
        ? t('structure.status.stale')
        : statusLabel(status);
  const chip = h(
    'span',
    {
      // A reservation's reason is read in full, wrapping (a hover tooltip is out of reach on a touch screen).
      class: `chip chip--${status}${withReason ? ' chip--reason' : ''}`,
      attrs: {
        'data-testid': 'approval-chip',
        'data-party': party.id,
        'data-status': status,
        title: options.withParty ? `${partyName(party)} — ${detail}` : detail,
      },
    },
    options.withParty ? h('span', { class: 'chip__party', text: partyName(party) }) : null,
    h('span', { class: 'chip__glyph', text: STATUS_GLYPH[status], attrs: { 'aria-hidden': 'true' } }),
    h('span', { class: 'chip__status', text, attrs: withReason ? { 'data-testid': 'chip-reason' } : {} }),
    options.extra ?? null,
  );
  return chip;
}
