import * as Y from 'yjs';
import type { Awareness } from 'y-protocols/awareness';
import { h, replaceChildren } from '../../lib/dom.ts';
import { MAX_NAME_LENGTH, nextColor, normalizeName, saveUser, type LocalUser } from '../../lib/identity.ts';
import { paragraphsMap, LANGS, type Lang } from '../../../shared/model/index.ts';

/**
 * Who is here: the local user's name and colour (editable, published in the
 * awareness `user` field that y-prosemirror reads for cursors) and the list of
 * other people present, with where their cursor is.
 */

export interface RemoteUser {
  clientId: number;
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
    const name = typeof user.name === 'string' && user.name.trim() ? user.name.trim().slice(0, MAX_NAME_LENGTH) : `Guest ${clientId % 1000}`;
    const color = typeof user.color === 'string' && COLOR_RE.test(user.color) ? user.color : '#777777';
    const at = locateCursor(doc, (state as { cursor?: unknown }).cursor);
    users.push(at ? { clientId, name, color, at } : { clientId, name, color });
  });
  return users.sort((a, b) => a.name.localeCompare(b.name) || a.clientId - b.clientId);
}

export interface PresenceOptions {
  awareness: Awareness;
  doc: Y.Doc;
  user: LocalUser;
  /** 1-based number of a pair in reading order, if it is shown. */
  pairNumber(pairId: string): number | undefined;
  /** Called with the people in each pair whenever presence changes. */
  onChange?(users: RemoteUser[]): void;
}

export interface Presence {
  /** The local user's name and colour control. */
  self: HTMLElement;
  /** The list of other people present. */
  others: HTMLElement;
  user(): LocalUser;
  /** Re-renders (e.g. after the pair numbers changed). */
  refresh(): void;
  destroy(): void;
}

export function presence(options: PresenceOptions): Presence {
  const { awareness, doc } = options;
  let user = { ...options.user };

  const publish = (): void => {
    awareness.setLocalStateField('user', { name: user.name, color: user.color });
    saveUser(user);
    self.style.setProperty('--user-color', user.color);
    nameButton.textContent = user.name;
  };

  // --- the local user: colour swatch (click for the next colour) and name (click to edit)
  const swatch = h('button', {
    class: 'me__swatch',
    attrs: { type: 'button', title: 'Change your colour', 'aria-label': 'Change your colour', 'data-testid': 'user-color' },
    on: {
      click: () => {
        user = { ...user, color: nextColor(user.color) };
        publish();
      },
    },
  });
  const nameButton = h('button', {
    class: 'me__name',
    attrs: { type: 'button', title: 'Change the name others see', 'data-testid': 'user-name' },
    on: { click: () => startEditing() },
  });
  const nameInput = h('input', {
    class: 'me__input',
    attrs: { type: 'text', maxlength: MAX_NAME_LENGTH, 'aria-label': 'Your name', 'data-testid': 'user-name-input', hidden: true },
  });
  const self = h('div', { class: 'me' }, h('span', { class: 'me__you', text: 'You' }), swatch, nameButton, nameInput);

  const startEditing = (): void => {
    nameInput.value = user.name;
    nameButton.hidden = true;
    nameInput.hidden = false;
    nameInput.focus();
    nameInput.select();
  };
  const stopEditing = (save: boolean): void => {
    if (nameInput.hidden) return;
    const name = normalizeName(nameInput.value);
    nameInput.hidden = true;
    nameButton.hidden = false;
    if (save && name && name !== user.name) {
      user = { ...user, name };
      publish();
    }
  };
  nameInput.addEventListener('keydown', (event) => {
    if (event.key === 'Enter') {
      event.preventDefault();
      stopEditing(true);
      nameButton.focus();
    } else if (event.key === 'Escape') {
      event.preventDefault();
      stopEditing(false);
      nameButton.focus();
    }
  });
  nameInput.addEventListener('blur', () => stopEditing(true));

  // --- the others
  const others = h('ul', { class: 'people', attrs: { 'data-testid': 'presence-list', 'aria-label': 'Also here' } });
  const render = (): void => {
    const users = remoteUsers(awareness, doc);
    others.dataset.count = String(users.length);
    if (users.length === 0) {
      replaceChildren(others, h('li', { class: 'people__alone', text: 'No one else here' }));
    } else {
      replaceChildren(
        others,
        ...users.map((u) => {
          const n = u.at ? options.pairNumber(u.at.pairId) : undefined;
          const where = u.at && n !== undefined ? `¶${n} ${u.at.lang.toUpperCase()}` : '';
          const item = h(
            'li',
            {
              class: 'person',
              attrs: { 'data-testid': 'present-user', title: where ? `${u.name} — paragraph ${n}, ${u.at?.lang === 'vi' ? 'Vietnamese' : 'French'}` : u.name },
            },
            h('span', { class: 'person__dot', attrs: { 'aria-hidden': 'true' } }),
            h('span', { class: 'person__name', text: u.name }),
            where ? h('span', { class: 'person__where', text: where }) : null,
          );
          item.style.setProperty('--user-color', u.color);
          return item;
        }),
      );
    }
    options.onChange?.(users);
  };

  // Awareness 'change' fires for real changes only (not the 15 s keep-alive renewals).
  awareness.on('change', render);
  publish();
  render();

  return {
    self,
    others,
    user: () => user,
    refresh: render,
    destroy() {
      awareness.off('change', render);
    },
  };
}
