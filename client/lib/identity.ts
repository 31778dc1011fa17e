import type { Locale } from '../../shared/i18n.ts';
import type { PartySummary } from '../../shared/protocol.ts';
import type { Role } from '../../shared/roles.ts';
import { t, type MessageKey } from '../i18n/index.ts';

/**
 * Who a signed-in person is in one declaration, for the people in front of
 * the screen: their delegation's name in the interface language, their role
 * in words, and the colour that marks them (cursors, presence).
 */

export { NEUTRAL_COLOR, PARTY_COLORS, memberColor } from '../../shared/colors.ts';

const ROLE_KEYS: Record<Role, MessageKey> = {
  secretariat: 'role.secretariat',
  head: 'role.head',
  drafter: 'role.drafter',
  observer: 'role.observer',
};

/** The role in the interface language ("Drafter", "Rédacteur", "Người soạn thảo"). */
export function roleLabel(role: Role): string {
  return t(ROLE_KEYS[role]);
}

/** A party's name in the interface language: the Vietnamese name in Vietnamese, the French one otherwise. */
export function partyName(party: PartySummary, locale: Locale): string {
  return locale === 'vi' ? party.name.vi : party.name.fr;
}

/** The name of the party with this id, or the "no delegation" wording. */
export function delegationLabel(parties: readonly PartySummary[], partyId: string | null, locale: Locale): string {
  const party = partyId === null ? undefined : parties.find((p) => p.id === partyId);
  return party ? partyName(party, locale) : t('identity.noParty');
}
