import type { Locale } from '../../shared/i18n.ts';
import type { PartySummary } from '../../shared/protocol.ts';
import type { Role } from '../../shared/roles.ts';
import { t, type MessageKey } from '../i18n/index.ts';

/**
 * Who a signed-in person is in one declaration, for the people in front of
 * the screen: their delegation's name in the interface language, their role
 * in words, and the colour that marks them (cursors, presence).
 */

/**
 * One colour per party, by its position in the document's parties. Calm
 * colours that stay readable with white text and as a tint behind text.
 * (#rrggbb: y-prosemirror only accepts 6-digit hex colours.)
 */
export const PARTY_COLORS = [
  '#b0413e', // brick
  '#1f6feb', // blue
  '#2f7d4f', // green
  '#8a4fbf', // violet
  '#c26a00', // amber
  '#0f7b84', // teal
  '#b03a7a', // plum
  '#5a6b1f', // olive
] as const;

/** The colour of people who speak for no party (secretariat, observers). */
export const NEUTRAL_COLOR = '#6b7380';

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

/** The colour of a member: their party's, or neutral for the secretariat and observers. */
export function memberColor(parties: readonly PartySummary[], role: Role, partyId: string | null): string {
  if (role === 'secretariat' || role === 'observer' || partyId === null) return NEUTRAL_COLOR;
  const index = parties.findIndex((p) => p.id === partyId);
  return index < 0 ? NEUTRAL_COLOR : (PARTY_COLORS[index % PARTY_COLORS.length] ?? NEUTRAL_COLOR);
}
