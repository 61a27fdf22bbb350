import { describe, expect, it } from 'vitest';
import { createI18n, loadResources, type Resources } from '../../../src/core/i18n/i18n.js';
import { findLocaleProblems, pluralForms } from '../../../src/core/i18n/localeCheck.js';
import { createStaffI18n, loadStaffResources } from '../../../src/core/staff/staffI18n.js';

const people = loadResources();
const staffResources = loadStaffResources();
const i18n = createI18n(people);
const staff = createStaffI18n(staffResources);

/**
 * Texts whose count stands alone, with no noun to agree with it: "All models (12)", "40 × smartphone", "we can give 1
 * every 30 days".
 */
const COUNT_WITHOUT_NOUN = /\(\{\{count\}\}\)|\{\{count\}\} ×/;
const ALONE = new Set(['recharge:over_quota']);

function countedTexts(resources: Resources): Array<{ lng: string; key: string; text: string }> {
  const out: Array<{ lng: string; key: string; text: string }> = [];
  const walk = (lng: string, prefix: string, value: unknown) => {
    if (typeof value === 'string') out.push({ lng, key: prefix, text: value });
    else if (value && typeof value === 'object')
      for (const [k, v] of Object.entries(value))
        walk(lng, prefix.endsWith(':') ? `${prefix}${k}` : `${prefix}.${k}`, v);
  };
  for (const [lng, namespaces] of Object.entries(resources))
    for (const [ns, tree] of Object.entries(namespaces)) walk(lng, `${ns}:`, tree);
  return out.filter((t) => t.text.includes('{{count}}'));
}

describe('plurals through i18next’s plural rules', () => {
  it('every text that counts something has plural forms, in people’s and staff’s languages', () => {
    const bare = [...countedTexts(people), ...countedTexts(staffResources)].filter(
      (t) => !/_(zero|one|two|few|many|other)$/.test(t.key) && !COUNT_WITHOUT_NOUN.test(t.text) && !ALONE.has(t.key),
    );
    expect(bare.map((t) => `${t.lng} ${t.key}`)).toEqual([]);
  });

  it('the locale check asks each language for the forms its rules use, and fails when one is missing', () => {
    expect(pluralForms('ar')).toHaveLength(6);
    const broken = structuredClone(people);
    const code = broken.ar?.code;
    if (!code) throw new Error('ar/code missing');
    delete code.is_it_you_few;
    expect(findLocaleProblems(broken, 'en')).toContain('ar: missing code:is_it_you_few');
    expect(findLocaleProblems(people, 'en')).toEqual([]);
  });

  it('English: 1 device, 2 devices; 0 open requests', () => {
    expect(staff.t('en', 'slack:impact.devices', { count: 1 })).toBe('📱 1 device handed over');
    expect(staff.t('en', 'slack:impact.devices', { count: 2 })).toBe('📱 2 devices handed over');
    expect(staff.t('en', 'slack:impact.recharges', { count: 1 })).toBe('📶 1 recharge given');
    expect(staff.t('en', 'slack:impact.collected', { count: 1 })).toBe('📦 1 donated device collected');
    expect(i18n.t('en', 'code:is_it_you', { count: 0, language: 'Dari' })).toContain('0 open requests');
    expect(i18n.t('en', 'code:is_it_you', { count: 1, language: 'Dari' })).toContain('1 open request and');
  });

  it('French: 0 and 1 are singular, 2 and 11 plural', () => {
    expect(i18n.t('fr', 'donor:update_handed_over', { reference: 'D-1', count: 1 })).toContain(
      '1 appareil est maintenant',
    );
    expect(i18n.t('fr', 'donor:update_handed_over', { reference: 'D-1', count: 2 })).toContain(
      '2 appareils sont maintenant',
    );
    expect(i18n.t('fr', 'donor:update_handed_over', { reference: 'D-1', count: 11 })).toContain('11 appareils sont');
    expect(i18n.t('fr', 'code:is_it_you', { count: 0, language: 'dari' })).toContain('0 demande en cours');
    expect(staff.t('fr', 'slack:impact.received', { count: 1 })).toBe('📥 1 demande reçue');
    expect(staff.t('fr', 'slack:impact.received', { count: 2 })).toBe('📥 2 demandes reçues');
    expect(staff.t('fr', 'slack:transfer.devices_moved', { count: 1, association: 'Utopia' })).toBe(
      '➡️ 1 appareil transféré à Utopia.',
    );
  });

  it('Arabic: six forms (0, 1, 2, 3–10, 11–99, 100)', () => {
    const say = (count: number) => i18n.t('ar', 'code:is_it_you', { count, language: 'الدارية' });
    expect(say(0)).toContain('ليس عند هذا الشخص أي طلب');
    expect(say(1)).toContain('طلب مفتوح واحد');
    expect(say(2)).toContain('طلبان مفتوحان');
    expect(say(3)).toContain('3 طلبات مفتوحة');
    expect(say(11)).toContain('11 طلباً مفتوحاً');
    expect(say(100)).toContain('100 طلب مفتوح');
    const devices = (count: number) => i18n.t('ar', 'donor:update_closed', { reference: 'D-1', count, kg: 1, co2: 2 });
    expect(devices(2)).toContain('جهازان');
    expect(devices(5)).toContain('5 أجهزة');
  });

  it('beneficiaries’ other languages use their own forms', () => {
    expect(i18n.t('am', 'donor:update_handed_over', { reference: 'D-1', count: 1 })).toContain('1 መሣሪያ አሁን');
    expect(i18n.t('am', 'donor:update_handed_over', { reference: 'D-1', count: 3 })).toContain('3 መሣሪያዎች');
    expect(i18n.t('ti', 'donor:update_handed_over', { reference: 'D-1', count: 4 })).toContain('4 መሳርሒታት');
    expect(i18n.t('ps', 'donor:update_handed_over', { reference: 'D-1', count: 1 })).toContain('1 وسیله');
  });
});
