/** Languages of the interface (the declaration's own languages are LANGS). */
export const LOCALES = ['vi', 'fr', 'en'] as const;
export type Locale = (typeof LOCALES)[number];

export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (LOCALES as readonly string[]).includes(value);
}

/** The best interface language for a browser's preference list (navigator.languages). */
export function negotiateLocale(preferences: readonly string[], fallback: Locale = 'en'): Locale {
  for (const tag of preferences) {
    const base = tag.toLowerCase().split('-')[0];
    if (isLocale(base)) return base;
  }
  return fallback;
}
