import type { SigningReadiness } from '../../../shared/versions.ts';
import { h } from '../../lib/dom.ts';
import { localName } from '../../lib/errorText.ts';
import { t } from '../../i18n/index.ts';
import { viewPath } from '../status/agreementNav.ts';

/**
 * What keeps a version from being signed, shown to a head where the sign
 * button is, before anyone confirms (issue 21): the pairs not yet agreed by
 * every party with the version's text, by ¶ number with the parties' names,
 * and the parties that have not agreed its structure. The server checks it
 * again when the head signs.
 */

/** The readiness of a version as the page knows it: not asked yet, asking, known, or the check failed. */
export type Readiness = { state: 'loading' } | { state: 'known'; readiness: SigningReadiness } | { state: 'failed'; reason: string };

export function canSign(readiness: Readiness | undefined): boolean {
  return readiness?.state === 'known' && readiness.readiness.pairs.length === 0 && readiness.readiness.structure.length === 0;
}

/** The reasons under a version's actions, or null when it can be signed. `id` ties them to the disabled button. */
export function readinessPanel(documentId: string, readiness: Readiness | undefined, id: string): HTMLElement | null {
  if (!readiness || readiness.state === 'loading') {
    return h('p', { class: 'sign-blockers sign-blockers--checking muted', text: t('signing.checking'), attrs: { id, 'data-testid': 'sign-checking' } });
  }
  if (readiness.state === 'failed') {
    return h('p', { class: 'sign-blockers', text: t('signing.checkFailed', { reason: readiness.reason }), attrs: { id, 'data-testid': 'sign-blockers', role: 'status' } });
  }
  const { pairs, structure } = readiness.readiness;
  if (pairs.length === 0 && structure.length === 0) return null;
  // One line per pair, every party still to agree it named in the interface language.
  const byNumber = new Map<number, string[]>();
  for (const p of pairs) byNumber.set(p.number, [...(byNumber.get(p.number) ?? []), localName(p.party)]);
  return h(
    'div',
    { class: 'sign-blockers', attrs: { id, 'data-testid': 'sign-blockers', role: 'status' } },
    h('p', { class: 'sign-blockers__title', text: t('signing.notYet') }),
    byNumber.size > 0 ? h('p', { class: 'sign-blockers__lede', text: t('signing.pairsNotAgreed') }) : null,
    byNumber.size > 0
      ? h(
          'ul',
          { class: 'sign-blockers__pairs' },
          ...[...byNumber].map(([number, parties]) =>
            h('li', { text: t('signing.pair', { number, parties: parties.join(', ') }), attrs: { 'data-testid': 'sign-blocker-pair', 'data-number': String(number) } }),
          ),
        )
      : null,
    structure.length > 0
      ? h('p', { class: 'sign-blockers__structure', text: t('signing.structureNotAgreed', { parties: structure.map(localName).join(', ') }), attrs: { 'data-testid': 'sign-blocker-structure' } })
      : null,
    h('a', { class: 'sign-blockers__link', text: t('signing.seeStatus'), attrs: { href: viewPath(documentId, 'status') } }),
  );
}
