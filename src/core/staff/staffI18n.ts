import { fileURLToPath } from 'node:url';
import { createI18nextInstance, loadResources, type Resources } from '../i18n/i18n.js';

/**
 * Staff (volunteers, coordinators) work in French or English: their texts live apart from
 * the people's 8-language locales, in staff-locales/<fr|en>/<namespace>.json, so that no
 * unreviewed machine translation of staff tools has to be maintained.
 */
export const STAFF_LANGUAGES = ['fr', 'en'] as const;
export type StaffLanguage = (typeof STAFF_LANGUAGES)[number];
export const DEFAULT_STAFF_LOCALES_DIR = fileURLToPath(new URL('../../../staff-locales', import.meta.url));

export interface StaffI18n {
  t(language: string, key: string, params?: Record<string, string | number>): string;
  /**
   * whether a key exists, plain or with plural forms (for codes that may have no dedicated text, e.g. new alert codes)
   */
  has(language: string, key: string): boolean;
  /** the staff language to use for a stored preference (anything else → English) */
  language(preference: string | null | undefined): StaffLanguage;
}

export function loadStaffResources(dir = DEFAULT_STAFF_LOCALES_DIR): Resources {
  return loadResources(dir);
}

export function createStaffI18n(resources: Resources = loadStaffResources()): StaffI18n {
  const instance = createI18nextInstance(resources, { languages: STAFF_LANGUAGES, defaultNS: 'slack' });
  const language = (preference: string | null | undefined): StaffLanguage => (preference === 'fr' ? 'fr' : 'en');
  return {
    language,
    t: (lng, key, params) => instance.getFixedT(language(lng))(key, params ?? {}),
    has: (lng, key) =>
      instance.exists(key, { lng: language(lng) }) || instance.exists(key, { lng: language(lng), count: 2 }),
  };
}
