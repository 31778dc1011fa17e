import { h, replaceChildren } from '../../lib/dom.ts';
import { ApiError, isSignedOut, listMembers, newSignInLink, revokeMember, type Member } from '../../lib/api.ts';
import type { AppContext } from '../../lib/context.ts';
import { delegationLabel, memberColor, roleLabel } from '../../lib/identity.ts';
import type { DocumentSummary } from '../../../shared/protocol.ts';
import { formatDateTime, getLocale, t } from '../../i18n/index.ts';
import { errorLine } from './form.ts';
import { refusalMessage } from './refusals.ts';

/**
 * The members of one declaration: a table (name, email, role, delegation,
 * since) with, per member, a fresh sign-in link and a revoke button (asked
 * twice). Links are handed to `showLink`.
 */
export interface MembersSection {
  element: HTMLElement;
  /** Loads the members again (after an invitation). */
  reload(): Promise<void>;
  /** Re-renders with the document's current parties. */
  setDocument(document: DocumentSummary): void;
  /** The members of a delegation, as last loaded. */
  membersOf(partyId: string): Member[];
}

export function membersSection(
  ctx: AppContext,
  initial: DocumentSummary,
  showLink: (member: Pick<Member, 'name'>, signInUrl: string) => void,
  /** Told after a change (a link issued, a member revoked): the membership log has a new entry. */
  onChanged: () => void = () => undefined,
): MembersSection {
  let document = initial;
  let members: Member[] = [];
  const body = h('tbody');
  const error = errorLine('members-error');
  const table = h(
    'table',
    { class: 'members', attrs: { 'data-testid': 'members-table' } },
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        h('th', { text: t('admin.members.name'), attrs: { scope: 'col' } }),
        h('th', { text: t('admin.members.email'), attrs: { scope: 'col' } }),
        h('th', { text: t('admin.members.role'), attrs: { scope: 'col' } }),
        h('th', { text: t('admin.members.party'), attrs: { scope: 'col' } }),
        h('th', { text: t('admin.members.since'), attrs: { scope: 'col' } }),
        h('th', { class: 'members__actions-head', text: t('admin.members.actions'), attrs: { scope: 'col' } }),
      ),
    ),
    body,
  );

  /** Runs a member action; its refusal shows under the table, verbatim. */
  const act = async (button: HTMLButtonElement, run: () => Promise<void>): Promise<void> => {
    error.clear();
    button.disabled = true;
    try {
      await run();
      onChanged();
    } catch (cause) {
      if (isSignedOut(cause)) return ctx.signedOut('ended');
      error.show(cause instanceof ApiError ? cause.message : t('error.unexpected'));
    } finally {
      button.disabled = false;
    }
  };

  const memberRow = (member: Member): HTMLElement => {
    const swatch = h('span', { class: 'members__swatch', attrs: { 'aria-hidden': 'true' } });
    swatch.style.setProperty('--user-color', memberColor(document.parties, member.role, member.partyId));
    const isMe = member.accountId === ctx.me.account.id;
    const linkButton: HTMLButtonElement = h('button', {
      class: 'button button--quiet button--small',
      text: t('admin.members.newLink'),
      attrs: { type: 'button', 'data-testid': 'new-link', title: t('admin.members.newLinkHint', { name: member.name }) },
      on: {
        click: () =>
          void act(linkButton, async () => {
            const url = await newSignInLink(document.id, member.accountId).catch((cause: unknown) => {
              throw refusalMessage(cause, member.name);
            });
            showLink(member, url);
          }),
      },
    });
    const revokeButton: HTMLButtonElement = h('button', {
      class: 'button button--danger button--small',
      text: t('admin.members.revoke'),
      attrs: { type: 'button', 'data-testid': 'revoke', title: t('admin.members.revokeHint', { name: member.name }) },
      on: {
        click: () => {
          if (!window.confirm(t('admin.members.revokeConfirm', { name: member.name, title: document.title[getLocale() === 'vi' ? 'vi' : 'fr'] }))) return;
          void act(revokeButton, async () => {
            await revokeMember(document.id, member.accountId);
            await reload();
          });
        },
      },
    });
    return h(
      'tr',
      { attrs: { 'data-testid': 'member', 'data-account-id': member.accountId } },
      h('td', { class: 'members__name' }, swatch, h('span', { text: member.name }), isMe ? h('span', { class: 'members__you', text: t('admin.members.you') }) : null),
      h('td', { class: 'members__email', text: member.email ?? '—' }),
      h('td', { class: 'members__role', text: roleLabel(member.role), attrs: { 'data-testid': 'member-role' } }),
      h('td', { class: 'members__party', text: delegationLabel(document.parties, member.partyId, getLocale()), attrs: { 'data-testid': 'member-party' } }),
      h('td', { class: 'members__since', text: formatDateTime(member.since) }),
      // The server refuses revoking oneself; not offering it spares a refusal.
      h('td', { class: 'members__actions' }, linkButton, isMe ? null : revokeButton),
    );
  };

  const render = (): void => {
    if (members.length === 0) {
      replaceChildren(body, h('tr', {}, h('td', { class: 'muted', text: t('admin.members.none'), attrs: { colspan: 6 } })));
      return;
    }
    replaceChildren(body, ...members.map(memberRow));
  };

  async function reload(): Promise<void> {
    members = await listMembers(document.id);
    render();
  }

  replaceChildren(body, h('tr', {}, h('td', { class: 'muted', text: t('admin.members.loading'), attrs: { colspan: 6 } })));
  reload().catch((cause: unknown) => {
    if (isSignedOut(cause)) return ctx.signedOut('ended');
    error.show(cause instanceof ApiError ? cause.message : t('error.unexpected'));
  });

  return {
    element: h(
      'section',
      { class: 'admin-section' },
      h('h3', { class: 'admin-section__title', text: t('admin.members.title') }),
      h('div', { class: 'members__scroll' }, table),
      error.element,
    ),
    reload,
    setDocument(next) {
      document = next;
      render();
    },
    membersOf: (partyId) => members.filter((m) => m.partyId === partyId),
  };
}
