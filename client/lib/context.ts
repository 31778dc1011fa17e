import type { Locale } from '../../shared/i18n.ts';
import type { Me } from './api.ts';

/** Why the signed-out page is shown: it words its message for each. */
export type SignedOutReason =
  /** No session: the person has not followed their link in this browser. */
  | 'none'
  /** `?signin=used|expired|unknown`: the server refused the link just followed. */
  | 'used'
  | 'expired'
  | 'unknown'
  /** The session ended while a page was open (401 or WS close 4401). */
  | 'ended'
  /** The person pressed "Sign out". */
  | 'signedOut';

/** What every signed-in screen gets from the app shell (main.ts). */
export interface AppContext {
  me: Me;
  /** Renders the current route again (after the interface language changed). */
  rerender(): void;
  /** Replaces the screen by the signed-out page. */
  signedOut(reason: SignedOutReason): void;
  /** Makes `locale` the interface language, saves it to the account, then re-renders. */
  chooseLocale(locale: Locale): Promise<void>;
}

/** A screen mounted in the root element; destroyed before the next one. */
export interface Screen {
  destroy(): void;
}

/** May this person open the admin page? (The server decides per declaration; this only hides the link.) */
export function mayAdminister(me: Me): boolean {
  return me.account.isSecretariat || me.memberships.some((m) => m.role === 'secretariat');
}
