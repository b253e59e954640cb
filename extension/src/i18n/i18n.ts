/**
 * Our own i18next instance. The host's instance is not exposed to extensions
 * (../shared/docs/ohif-host.md), so we ship one and follow the viewer's
 * language, which the viewer keeps in localStorage under `i18nextLng`.
 */
import i18next, { type i18n, type TFunction } from 'i18next';
import en from './locales/en.json';
import fr from './locales/fr.json';

export const NAMESPACE = 'medsam';
export const SUPPORTED_LANGUAGES = ['en', 'fr'] as const;
export type SupportedLanguage = (typeof SUPPORTED_LANGUAGES)[number];

/** Where the OHIF viewer stores the language the user chose. */
const VIEWER_LANGUAGE_KEY = 'i18nextLng';

/** Picks the supported language closest to a BCP 47 tag (`fr-CA` gives `fr`). */
export function pickLanguage(tag: string | null | undefined): SupportedLanguage {
  const base = (tag ?? '').toLowerCase().split(/[-_]/)[0];
  return SUPPORTED_LANGUAGES.find((lang) => lang === base) ?? 'en';
}

/** Creates an initialised instance; `language` defaults to the viewer's. */
export function createI18n(language?: string): i18n {
  const instance = i18next.createInstance();
  void instance.init({
    lng: pickLanguage(language ?? readViewerLanguage()),
    fallbackLng: 'en',
    ns: [NAMESPACE],
    defaultNS: NAMESPACE,
    resources: { en: { [NAMESPACE]: en }, fr: { [NAMESPACE]: fr } },
    interpolation: { escapeValue: false },
    initAsync: false,
  });
  return instance;
}

function readViewerLanguage(): string | null {
  try {
    return globalThis.localStorage?.getItem(VIEWER_LANGUAGE_KEY) ?? null;
  } catch {
    // Storage can be blocked by browser policy: fall back to English.
    return null;
  }
}

export type Translate = TFunction;
