import { describe, expect, it } from 'vitest';
import { catalogues, formatDate, formatDateTime, formatNumber, setLocale, t } from '../../client/i18n/index.ts';
import { LOCALES, negotiateLocale } from '../../shared/i18n.ts';

const placeholders = (message: string) => [...message.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('interface catalogues', () => {
  const reference = catalogues.en;
  const keys = Object.keys(reference).sort();

  for (const locale of LOCALES) {
    it(`${locale} has every key, no extra key, no empty message and the same placeholders`, () => {
      const catalogue = catalogues[locale] as Record<string, string>;
      expect(Object.keys(catalogue).sort()).toEqual(keys);
      for (const key of keys) {
        expect(catalogue[key]!.trim(), `${locale}:${key}`).not.toBe('');
        expect(placeholders(catalogue[key]!), `${locale}:${key}`).toEqual(placeholders((reference as Record<string, string>)[key]!));
      }
    });
  }

  it('French messages put a no-break space before : ; ! ? and inside « »', () => {
    for (const [key, message] of Object.entries(catalogues.fr)) {
      // Placeholders are filled later; a "{x}" right before a colon is still text followed by punctuation.
      expect(message, `fr:${key}`).not.toMatch(/[^\u00A0\u202F][:;!?](\s|$)/u);
      expect(message, `fr:${key}`).not.toMatch(/«(?!\u00A0)|(?<!\u00A0)»/u);
    }
  });

  it('every message is in Unicode NFC (Vietnamese arrives in NFC and NFD alike)', () => {
    for (const locale of LOCALES) {
      for (const [key, message] of Object.entries(catalogues[locale])) expect(message, `${locale}:${key}`).toBe(message.normalize('NFC'));
    }
  });

  it('follows the browser’s preferred language, else English', () => {
    expect(negotiateLocale(['fr-FR', 'en'])).toBe('fr');
    expect(negotiateLocale(['vi-VN'])).toBe('vi');
    expect(negotiateLocale(['de-DE', 'ja'])).toBe('en');
  });

  it('formats numbers in messages for the chosen language', () => {
    setLocale('fr');
    expect(formatNumber(12345.5)).toBe('12\u202F345,5');
    setLocale('vi');
    expect(formatNumber(12345.5)).toBe('12.345,5');
    setLocale('en');
    expect(formatNumber(12345.5)).toBe('12,345.5');
    expect(t('language.choose')).toBe('Language');
  });

  it('writes dates in the chosen language, also after switching back and forth', () => {
    const at = new Date(Date.UTC(2023, 3, 15, 10, 5));
    for (const locale of ['fr', 'en', 'vi', 'fr'] as const) {
      setLocale(locale);
      expect(formatDateTime(at)).toBe(new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' }).format(at));
      expect(formatDate(at)).toBe(new Intl.DateTimeFormat(locale, { dateStyle: 'long' }).format(at));
    }
    expect(formatDate(at)).toContain('avril');
    setLocale('en');
    expect(formatDate(at)).toContain('April');
  });

  it('writes whole numbers under 1,000 (row numbers, counts) as each language’s formatter does', () => {
    for (const locale of ['en', 'fr', 'vi'] as const) {
      setLocale(locale);
      const intl = new Intl.NumberFormat(locale);
      for (const n of [0, 1, 7, 42, 200, 999, 1000, 1234, 2.5]) expect(formatNumber(n), `${n} in ${locale}`).toBe(intl.format(n));
    }
    setLocale('en');
  });
});
