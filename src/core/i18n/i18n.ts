import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join, basename } from 'node:path';
import { fileURLToPath } from 'node:url';
import i18next, { type i18n as I18nInstance } from 'i18next';
import { z } from 'zod';
import { globalKeywords, type GlobalKeyword } from '../conversation/globalKeywords.js';

/** Languages of the people served, in menu order. ckb = Kurdish Sorani, fa = Dari/Farsi. */
export const LANGUAGES = ['fr', 'en', 'ar', 'fa', 'ps', 'ti', 'ckb', 'am'] as const;
export const RTL_LANGUAGES: readonly string[] = ['ar', 'fa', 'ps', 'ckb'];
export const DEFAULT_LOCALES_DIR = fileURLToPath(new URL('../../../locales', import.meta.url));

export type Resources = Record<string, Record<string, Record<string, unknown>>>;

const wordList = z.array(z.string());
/**
 * locales/<lng>/keywords.json: the global keywords, and words translators add for choices:
 * language names by language code (`languages`), other choices by choice id (`choices`,
 * e.g. the menu's entries).
 */
const keywordFileSchema = z.object({
  menu: wordList.optional(),
  back: wordList.optional(),
  help: wordList.optional(),
  stop: wordList.optional(),
  language: wordList.optional(),
  announcements_off: wordList.optional(),
  languages: z.record(wordList).optional(),
  choices: z.record(wordList).optional(),
});

/** Reads locales/<lng>/<namespace>.json for every language. */
export function loadResources(dir = DEFAULT_LOCALES_DIR): Resources {
  // a build or image without its locale files must fail at start, not show raw keys to people
  if (!existsSync(dir)) throw new Error(`locale directory missing: ${dir}`);
  const resources: Resources = {};
  for (const lng of LANGUAGES) {
    const lngDir = join(dir, lng);
    if (!existsSync(lngDir)) continue;
    resources[lng] = {};
    for (const file of readdirSync(lngDir)
      .filter((f) => f.endsWith('.json'))
      .sort()) {
      const parsed: unknown = JSON.parse(readFileSync(join(lngDir, file), 'utf8'));
      resources[lng][basename(file, '.json')] = z.record(z.unknown()).parse(parsed);
    }
  }
  return resources;
}

export interface I18n {
  /** translate into a language (falls back to English, then French) */
  t(language: string, key: string, params?: Record<string, string | number>): string;
  isRtl(language: string): boolean;
  supports(language: string): boolean;
  /** every spelling of each global keyword across all languages */
  keywordSpellings(): Record<GlobalKeyword, string[]>;
  /** words people type for a choice, by choice id, all languages together (`lang:<code>` for language names) */
  choiceSpellings(): Record<string, string[]>;
  instance: I18nInstance;
}

/**
 * A synchronous i18next instance over loaded resources (English, then French, as fallbacks). Also used for staff texts.
 */
export function createI18nextInstance(
  resources: Resources,
  options: { languages: readonly string[]; defaultNS: string },
): I18nInstance {
  const instance = i18next.createInstance();
  void instance.init({
    resources,
    lng: 'en',
    fallbackLng: ['en', 'fr'],
    supportedLngs: [...options.languages],
    ns: Object.keys(resources.en ?? {}),
    defaultNS: options.defaultNS,
    nsSeparator: ':',
    interpolation: { escapeValue: false },
    returnNull: false,
    initAsync: false,
  });
  return instance;
}

export function createI18n(resources: Resources = loadResources()): I18n {
  const instance = createI18nextInstance(resources, { languages: LANGUAGES, defaultNS: 'common' });
  const fixed = new Map(LANGUAGES.map((lng) => [lng, instance.getFixedT(lng)]));
  return {
    instance,
    t(language, key, params) {
      const t = fixed.get(language as (typeof LANGUAGES)[number]) ?? fixed.get('en');
      return t ? t(key, params ?? {}) : key;
    },
    isRtl: (language) => RTL_LANGUAGES.includes(language),
    supports: (language) => (LANGUAGES as readonly string[]).includes(language),
    keywordSpellings() {
      const out = Object.fromEntries(globalKeywords.map((k) => [k, [] as string[]])) as Record<GlobalKeyword, string[]>;
      for (const lng of Object.keys(resources)) {
        const file = keywordFileSchema.safeParse(resources[lng]?.keywords ?? {});
        if (!file.success) continue;
        for (const k of globalKeywords) out[k].push(...(file.data[k] ?? []));
      }
      for (const k of globalKeywords) out[k].push(k);
      return out;
    },
    choiceSpellings() {
      const out: Record<string, string[]> = {};
      const add = (id: string, words: string[]) => {
        out[id] ??= [];
        out[id].push(...words);
      };
      for (const lng of Object.keys(resources)) {
        const file = keywordFileSchema.safeParse(resources[lng]?.keywords ?? {});
        if (!file.success) continue;
        for (const [code, words] of Object.entries(file.data.languages ?? {})) add(`lang:${code}`, words);
        for (const [id, words] of Object.entries(file.data.choices ?? {})) add(id, words);
      }
      return out;
    },
  };
}
