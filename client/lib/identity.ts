/**
 * Who this browser is, until sign-in exists: an anonymous display name
 * ("Guest 123") and a colour, kept in localStorage and editable.
 */

export interface LocalUser {
  name: string;
  /** #rrggbb: y-prosemirror only accepts 6-digit hex colours. */
  color: string;
}

const STORAGE_KEY = 'accord.user';
export const MAX_NAME_LENGTH = 40;

/** Calm colours that stay readable with white text and as a 44% tint behind text. */
export const USER_COLORS = [
  '#1f6feb', // blue
  '#b0413e', // brick
  '#2f7d4f', // green
  '#8a4fbf', // violet
  '#c26a00', // amber
  '#0f7b84', // teal
  '#b03a7a', // plum
  '#5a6b1f', // olive
] as const;

function randomInt(max: number): number {
  const bytes = new Uint32Array(1);
  crypto.getRandomValues(bytes);
  return (bytes[0] ?? 0) % max;
}

function isColor(value: unknown): value is string {
  return typeof value === 'string' && /^#[0-9a-fA-F]{6}$/.test(value);
}

export function normalizeName(name: string): string {
  return name.replace(/\s+/g, ' ').trim().normalize('NFC').slice(0, MAX_NAME_LENGTH);
}

function newUser(): LocalUser {
  return {
    name: `Guest ${100 + randomInt(900)}`,
    color: USER_COLORS[randomInt(USER_COLORS.length)] ?? USER_COLORS[0],
  };
}

function readStorage(): string | null {
  try {
    return localStorage.getItem(STORAGE_KEY);
  } catch {
    return null; // storage disabled: a fresh guest per page load
  }
}

export function loadUser(): LocalUser {
  const raw = readStorage();
  if (raw) {
    try {
      const parsed = JSON.parse(raw) as Partial<LocalUser>;
      const name = typeof parsed.name === 'string' ? normalizeName(parsed.name) : '';
      if (name && isColor(parsed.color)) return { name, color: parsed.color };
    } catch {
      // corrupt entry: replaced below
    }
  }
  const user = newUser();
  saveUser(user);
  return user;
}

export function saveUser(user: LocalUser): void {
  try {
    localStorage.setItem(STORAGE_KEY, JSON.stringify(user));
  } catch {
    // storage disabled: the name lasts for this page only
  }
}

/** The next colour of the palette after `color` (to let people pick another). */
export function nextColor(color: string): string {
  const i = USER_COLORS.indexOf(color as (typeof USER_COLORS)[number]);
  return USER_COLORS[(i + 1) % USER_COLORS.length] ?? USER_COLORS[0];
}
