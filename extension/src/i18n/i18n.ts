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

/**
 * Where the OHIF viewer keeps the language the user chose. Its language
 * detector looks, in this order, at the `lng` query parameter, the `i18next`
 * cookie, localStorage `i18nextLng`, then the browser's language; we follow
 * the same order so that both always agree.
 */
const VIEWER_LANGUAGE_QUERY = 'lng';
const VIEWER_LANGUAGE_COOKIE = 'i18next';
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

function readCookie(cookies: string, name: string): string | null {
  for (const part of cookies.split(';')) {
    const [key, ...value] = part.trim().split('=');
    if (key === name) return decodeURIComponent(value.join('='));
  }
  return null;
}

/** The viewer's language, found the way the viewer finds it. */
export function readViewerLanguage(scope: {
  location?: { search: string };
  document?: { cookie: string };
  localStorage?: Pick<Storage, 'getItem'>;
  navigator?: { language?: string };
} = globalThis as never): string | null {
  const fromQuery = scope.location ? new URLSearchParams(scope.location.search).get(VIEWER_LANGUAGE_QUERY) : null;
  if (fromQuery) return fromQuery;
  const fromCookie = scope.document ? readCookie(scope.document.cookie, VIEWER_LANGUAGE_COOKIE) : null;
  if (fromCookie) return fromCookie;
  try {
    const stored = scope.localStorage?.getItem(VIEWER_LANGUAGE_KEY);
    if (stored) return stored;
  } catch {
    // Storage can be blocked by browser policy: go on to the browser's language.
  }
  return scope.navigator?.language ?? null;
}

export type Translate = TFunction;
