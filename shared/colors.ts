import type { PartySummary } from './protocol.ts';
import type { Role } from './roles.ts';

/**
 * The colour that marks a member (cursors, presence): shared because the
 * server stamps it into the awareness `user` field and the page shows it.
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

/** The colour of a member: their party's, or neutral for the secretariat and observers. */
export function memberColor(parties: readonly PartySummary[], role: Role, partyId: string | null): string {
  if (role === 'secretariat' || role === 'observer' || partyId === null) return NEUTRAL_COLOR;
  const index = parties.findIndex((p) => p.id === partyId);
  return index < 0 ? NEUTRAL_COLOR : (PARTY_COLORS[index % PARTY_COLORS.length] ?? NEUTRAL_COLOR);
}
