import { LOCALES, isLocale, negotiateLocale, type Locale } from '../../shared/i18n.ts';
import { en, type MessageKey } from './en.ts';
import { fr } from './fr.ts';
import { vi } from './vi.ts';

/**
 * The interface's strings: one catalogue per language (en is the reference;
 * fr and vi must have every key — the type system and a test both check it).
 * Messages use {name} placeholders; numbers in them are formatted for the
 * language.
 */
export type { MessageKey };
export type Catalogue = Record<MessageKey, string>;
export const catalogues: Record<Locale, Catalogue> = { en, fr, vi };

const STORAGE_KEY = 'accord.locale';
let current: Locale = 'en';

/** The language chosen by the person (saved), else the browser's preference. */
export function initialLocale(accountLocale?: string | null): Locale {
  if (isLocale(accountLocale)) return accountLocale;
  const saved = readSaved();
  if (isLocale(saved)) return saved;
  return negotiateLocale(globalThis.navigator?.languages ?? []);
}

function readSaved(): string | null {
  try {
    return globalThis.localStorage?.getItem(STORAGE_KEY) ?? null;
  } catch {
    return null; // storage disabled
  }
}

/**
 * Makes `locale` the interface language. `remember: false` leaves the saved
 * choice alone, so a language merely negotiated from the browser does not
 * become sticky.
 */
export function setLocale(locale: Locale, options: { remember?: boolean } = {}): void {
  current = locale;
  if (options.remember !== false) {
    try {
      globalThis.localStorage?.setItem(STORAGE_KEY, locale);
    } catch {
      // storage disabled: the choice lasts for this page (and the account keeps it)
    }
  }
  if (globalThis.document) document.documentElement.lang = locale;
}

export function getLocale(): Locale {
  return current;
}

/** The message for a key in the current language, with {placeholders} filled in. */
export function t(key: MessageKey, params: Record<string, string | number> = {}): string {
  const template = catalogues[current][key] ?? en[key];
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const value = params[name];
    if (value === undefined) return whole;
    return typeof value === 'number' ? formatNumber(value) : value;
  });
}

/** One formatter per language: building an Intl.NumberFormat costs ~0.1 ms, and row numbers, progress and counts format on every change. */
const numberFormats = new Map<Locale, Intl.NumberFormat>();

export function formatNumber(value: number): string {
  // Whole numbers under 1,000 are written the same in every language we offer (no grouping, Latin
  // digits): no formatter, whose first construction in a page loads the locale's data (~40 ms of
  // the 200-pair page's load, docs/benchmarks.md).
  if (Number.isInteger(value) && value >= 0 && value < 1000) return String(value);
  let format = numberFormats.get(current);
  if (!format) numberFormats.set(current, (format = new Intl.NumberFormat(current)));
  return format.format(value);
}

/** Date formatters, one per language and style (as for numbers: each costs ~0.1 ms to build, and every approval chip shows a time). */
const dateFormats = new Map<string, Intl.DateTimeFormat>();

function dateFormat(style: 'dateTime' | 'date'): Intl.DateTimeFormat {
  const key = `${current} ${style}`;
  let format = dateFormats.get(key);
  if (!format) {
    const options: Intl.DateTimeFormatOptions = style === 'dateTime' ? { dateStyle: 'medium', timeStyle: 'short' } : { dateStyle: 'long' };
    dateFormats.set(key, (format = new Intl.DateTimeFormat(current, options)));
  }
  return format;
}

/** A date and time for people: "23 thg 11, 2026, 10:05" / "23 nov. 2026, 10:05" / "Nov 23, 2026, 10:05 AM". */
export function formatDateTime(value: Date | string): string {
  return dateFormat('dateTime').format(new Date(value));
}

export function formatDate(value: Date | string): string {
  return dateFormat('date').format(new Date(value));
}

/** Each language's own name, for the language chooser. */
export const LOCALE_NAMES: Record<Locale, string> = { vi: 'Tiếng Việt', fr: 'Français', en: 'English' };

export { LOCALES, isLocale, type Locale };
