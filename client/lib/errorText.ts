import { ERROR_CODES, type ErrorCode, type ErrorPair, type ErrorParams } from '../../shared/protocol.ts';
import { catalogues, getLocale, t, type MessageKey } from '../i18n/index.ts';

/**
 * A server refusal in the interface language, from its code and params
 * (shared/protocol.ts): the page never shows the server's English message,
 * nor internal ids of pairs — ¶ numbers and party names.
 */

const KNOWN: ReadonlySet<string> = new Set(ERROR_CODES);

export function isKnownErrorCode(code: string): code is ErrorCode {
  return KNOWN.has(code);
}

/** A party's name in the interface language (French in English, as on the rest of the page). */
export function localName(name: { vi: string; fr: string }): string {
  return getLocale() === 'vi' ? name.vi : name.fr;
}

const isName = (value: unknown): value is { vi: string; fr: string } =>
  typeof value === 'object' && value !== null && typeof (value as { vi?: unknown }).vi === 'string' && typeof (value as { fr?: unknown }).fr === 'string';

/** "¶ 1 (Partie française), ¶ 3 (Phía Việt Nam) and 4 more". */
export function pairList(pairs: ReadonlyArray<ErrorPair>, more = 0): string {
  const list = pairs
    .map((p) => (p.party ? t('error.list.pair', { number: p.number, party: localName(p.party) }) : `¶ ${p.number}`))
    .join(', ');
  return more > 0 ? t('error.list.more', { list, n: more }) : list;
}

/** The sentence for a refusal; undefined for a code this page does not know (then the server's words are shown). */
export function errorText(code: string, params: ErrorParams = {}): string | undefined {
  if (!isKnownErrorCode(code)) return undefined;
  if (code === 'forbidden' && (params.reason === 'member' || params.reason === 'crossSite')) {
    return t(params.reason === 'member' ? 'error.forbidden.member' : 'error.forbidden.crossSite');
  }
  const values: Record<string, string | number> = {};
  const named = (key: string): string | undefined => (key in catalogues.en ? t(key as MessageKey) : undefined);
  for (const [name, value] of Object.entries(params)) {
    if (typeof value === 'string' || typeof value === 'number') values[name] = value;
    else if (Array.isArray(value)) {
      values[name] = value.every(isName)
        ? value.map(localName).join(', ')
        : pairList(value as ErrorPair[], typeof params.more === 'number' ? params.more : 0);
    }
  }
  // A field and a role in the person's words: "the email address", "rédacteur" (the field's own name when it has none).
  if (typeof params.field === 'string') values.field = named(`error.field.${params.field.split('.')[0]}`) ?? params.field;
  if (typeof params.role === 'string') {
    const role = named(`role.${params.role}`);
    if (role) values.role = getLocale() === 'vi' ? role : role.toLocaleLowerCase(getLocale());
  }
  // A param the server left out (a body-parser refusal names no field) is not shown as "{field}".
  return t(`error.code.${code}` as MessageKey, values).replace(/\{\w+\}/g, '…');
}
