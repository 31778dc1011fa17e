import * as Y from 'yjs';
import type { Awareness } from 'y-protocols/awareness';
import { h, replaceChildren } from '../../lib/dom.ts';
import { paragraphsMap, LANGS, type Lang } from '../../../shared/model/index.ts';
import { t } from '../../i18n/index.ts';

/**
 * Who is here: publishes the signed-in person in the awareness `user` field
 * (y-prosemirror reads it for cursors) and lists the other people present,
 * with where their cursor is.
 */

/** What a page publishes about its person; anyone can write awareness, so it is display only. */
export interface AwarenessUser {
  name: string;
  /** #rrggbb: y-prosemirror only accepts 6-digit hex colours. */
  color: string;
}

/** Longest name shown for someone else (awareness is written by clients: keep it bounded). */
const MAX_SHOWN_NAME = 80;

export interface RemoteUser {
  clientId: number;
  /** The signed-in account the server stamped on the state (absent on states it has not stamped). */
  accountId?: string;
  name: string;
  color: string;
  /** The pair and language their cursor is in, when they are in a cell. */
  at?: { pairId: string; lang: Lang };
}

const COLOR_RE = /^#[0-9a-fA-F]{6}$/;

/** Where an awareness cursor points: which pair and which language cell. */
export function locateCursor(doc: Y.Doc, cursor: unknown): { pairId: string; lang: Lang } | undefined {
  const anchor = (cursor as { anchor?: unknown } | null)?.anchor;
  if (!anchor) return undefined;
  let abs: Y.AbsolutePosition | null;
  try {
    abs = Y.createAbsolutePositionFromRelativePosition(Y.createRelativePositionFromJSON(anchor), doc);
  } catch {
    return undefined;
  }
  const paragraphs = paragraphsMap(doc);
  let type: Y.AbstractType<any> | null = abs?.type ?? null; // eslint-disable-line @typescript-eslint/no-explicit-any
  while (type && type._item) {
    const parent = type._item.parent as Y.AbstractType<any>; // eslint-disable-line @typescript-eslint/no-explicit-any
    if (type instanceof Y.XmlFragment && parent instanceof Y.Map && parent._item?.parent === paragraphs) {
      const lang = type._item.parentSub;
      const pairId = parent._item.parentSub;
      if (pairId && (LANGS as readonly string[]).includes(lang ?? '')) return { pairId, lang: lang as Lang };
      return undefined;
    }
    type = parent;
  }
  return undefined;
}

/** Other people present, from the awareness states (one entry per open page). */
export function remoteUsers(awareness: Awareness, doc: Y.Doc): RemoteUser[] {
  const users: RemoteUser[] = [];
  awareness.getStates().forEach((state, clientId) => {
    if (clientId === awareness.clientID) return;
    const user = (state as { user?: { name?: unknown; color?: unknown } }).user;
    if (!user) return;
    const name = typeof user.name === 'string' && user.name.trim() ? user.name.trim().slice(0, MAX_SHOWN_NAME) : t('presence.someone');
    const color = typeof user.color === 'string' && COLOR_RE.test(user.color) ? user.color : '#777777';
    const at = locateCursor(doc, (state as { cursor?: unknown }).cursor);
    const accountId = typeof (user as { accountId?: unknown }).accountId === 'string' ? (user as { accountId: string }).accountId : undefined;
    const entry: RemoteUser = { clientId, name, color, ...(accountId ? { accountId } : {}) };
    users.push(at ? { ...entry, at } : entry);
  });
  return users.sort((a, b) => a.name.localeCompare(b.name) || a.clientId - b.clientId);
}

/**
 * One entry per person: the pages of one account (two tabs, two windows) are
 * one person in the list. The entry kept is the first (by client id) whose
 * cursor is in a cell, else the first page.
 */
export function distinctPeople(users: readonly RemoteUser[]): RemoteUser[] {
  const byPerson = new Map<string, RemoteUser>();
  for (const user of users) {
    const key = user.accountId !== undefined ? `a:${user.accountId}` : `c:${user.clientId}`;
    const kept = byPerson.get(key);
    if (!kept || (!kept.at && user.at)) byPerson.set(key, user);
  }
  return users.filter((u) => byPerson.get(u.accountId !== undefined ? `a:${u.accountId}` : `c:${u.clientId}`) === u);
}

export interface PresenceOptions {
  awareness: Awareness;
  doc: Y.Doc;
  /** The signed-in person as others see them: y-prosemirror reads `name` and `color` for cursors. */
  user: AwarenessUser;
  /** 1-based number of a pair in reading order, if it is shown. */
  pairNumber(pairId: string): number | undefined;
  /** Called with the people in each pair whenever presence changes. */
  onChange?(users: RemoteUser[]): void;
}

export interface Presence {
  /** The list of other people present. */
  others: HTMLElement;
  /** Re-renders (e.g. after the pair numbers changed). */
  refresh(): void;
  destroy(): void;
}

export function presence(options: PresenceOptions): Presence {
  const { awareness, doc } = options;
  // Published once: the identity comes from the session, it is not editable here.
  awareness.setLocalStateField('user', { name: options.user.name, color: options.user.color });

  const others = h('ul', { class: 'people', attrs: { 'data-testid': 'presence-list', 'aria-label': t('presence.label') } });
  let shown: string | undefined;
  const render = (): void => {
    const pages = remoteUsers(awareness, doc);
    // Every page's cursor is shown in its row; the list names each person once.
    const users = distinctPeople(pages);
    const pagesOf = (u: RemoteUser): number => (u.accountId === undefined ? 1 : pages.filter((p) => p.accountId === u.accountId).length);
    // Every character someone types moves their cursor (an awareness change), mostly within the same
    // pair: rebuilding the list each time made the sticky header restyle, lay out and repaint on every
    // keystroke of anyone. Touch the DOM only when what it shows changes.
    const key = users.map((u) => `${u.clientId}\u0000${pagesOf(u)}\u0000${u.name}\u0000${u.color}\u0000${u.at ? `${options.pairNumber(u.at.pairId)}${u.at.lang}` : ''}`).join('\n');
    if (key === shown) return options.onChange?.(pages);
    shown = key;
    others.dataset.count = String(users.length);
    if (users.length === 0) {
      replaceChildren(others, h('li', { class: 'people__alone', text: t('presence.alone') }));
    } else {
      replaceChildren(
        others,
        ...users.map((u) => {
          const n = u.at ? options.pairNumber(u.at.pairId) : undefined;
          const where = u.at && n !== undefined ? t('presence.where', { number: n, lang: u.at.lang.toUpperCase() }) : '';
          const title =
            u.at && n !== undefined
              ? t('presence.whereLong', { name: u.name, number: n, language: t(u.at.lang === 'vi' ? 'lang.vi' : 'lang.fr') })
              : u.name;
          const item = h(
            'li',
            { class: 'person', attrs: { 'data-testid': 'present-user', 'data-pages': pagesOf(u), title } },
            h('span', { class: 'person__dot', attrs: { 'aria-hidden': 'true' } }),
            h('span', { class: 'person__name', text: u.name }),
            where ? h('span', { class: 'person__where', text: where }) : null,
          );
          item.style.setProperty('--user-color', u.color);
          return item;
        }),
      );
    }
    options.onChange?.(pages);
  };

  // Awareness 'change' fires for real changes only (not the 15 s keep-alive renewals).
  awareness.on('change', render);
  render();

  return {
    others,
    refresh: render,
    destroy() {
      awareness.off('change', render);
    },
  };
}
