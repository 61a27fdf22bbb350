import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DEFAULT_LOCALES_DIR, LANGUAGES, createI18n, loadResources } from '../../../src/core/i18n/i18n.js';
import { findLocaleProblems } from '../../../src/core/i18n/localeCheck.js';

const resources = loadResources();

describe('locales', () => {
  it('every language has a folder', () => {
    expect(
      readdirSync(DEFAULT_LOCALES_DIR)
        .filter((d) => !d.endsWith('.md'))
        .sort(),
    ).toEqual([...LANGUAGES].sort());
  });

  it('every key of English exists in every language with the same interpolation variables', () => {
    expect(findLocaleProblems(resources, 'en')).toEqual([]);
  });

  it('the check fails on a missing key and on a changed variable', () => {
    const broken = structuredClone(resources);
    const fr = broken.fr?.privacy;
    if (!fr) throw new Error('fr/privacy missing');
    delete fr.erased;
    fr.notice_short = 'sans variable';
    const problems = findLocaleProblems(broken, 'en');
    expect(problems).toContain('fr: missing privacy:erased');
    expect(problems).toContain('fr: privacy:notice_short has variables [] instead of [messageDays]');
  });

  it('no language has keys English does not have (dead text)', () => {
    expect(findLocaleProblems(resources, 'fr').filter((p) => p.startsWith('en:'))).toEqual([]);
  });

  it('every keyword file names the five global keywords', () => {
    const i18n = createI18n(resources);
    const spellings = i18n.keywordSpellings();
    for (const keyword of ['menu', 'back', 'help', 'stop', 'language'] as const)
      expect(spellings[keyword].length).toBeGreaterThan(LANGUAGES.length);
  });
});
