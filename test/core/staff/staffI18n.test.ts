import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findLocaleProblems } from '../../../src/core/i18n/localeCheck.js';
import { createStaffI18n, loadStaffResources, STAFF_LANGUAGES } from '../../../src/core/staff/staffI18n.js';

const resources = loadStaffResources();

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sourceFiles(path) : path.endsWith('.ts') ? [path] : [];
  });
}

describe('staff texts', () => {
  it('exist in French and English with the same keys and variables', () => {
    expect(Object.keys(resources).sort()).toEqual([...STAFF_LANGUAGES].sort());
    expect(findLocaleProblems(resources, 'en')).toEqual([]);
    expect(findLocaleProblems(resources, 'fr')).toEqual([]);
  });

  it('every literal staff key used by the Slack app exists', () => {
    const text = createStaffI18n(resources);
    const keys = new Set(
      sourceFiles('src/bots/slack').flatMap((file) =>
        [...readFileSync(file, 'utf8').matchAll(/'(slack:[a-z_]+(?:\.[A-Za-z_]+)+)'/g)].map((m) => m[1] ?? ''),
      ),
    );
    expect(keys.size).toBeGreaterThan(50);
    // a key used with a count exists in its plural forms (key_one, key_other)
    const exists = (lng: string, key: string) =>
      text.has(lng, key) || (text.has(lng, `${key}_one`) && text.has(lng, `${key}_other`));
    for (const key of keys) for (const lng of STAFF_LANGUAGES) expect(exists(lng, key), `${lng} ${key}`).toBe(true);
  });

  it('falls back to English for a staff member with another language', () => {
    const text = createStaffI18n(resources);
    expect(text.t('ar', 'slack:modal.cancel')).toBe('Cancel');
    expect(text.t('fr', 'slack:modal.cancel')).toBe('Annuler');
  });
});
