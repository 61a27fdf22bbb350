import type { Resources } from './i18n.js';

const PLURAL_SUFFIX = /^(.*)_(zero|one|two|few|many|other)$/;

function flatten(value: unknown, prefix: string, out: Map<string, unknown>) {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    for (const [k, v] of Object.entries(value)) flatten(v, prefix ? `${prefix}.${k}` : k, out);
  } else {
    out.set(prefix, value);
  }
}

function variables(value: unknown): string[] {
  if (typeof value !== 'string') return [];
  return [...new Set([...value.matchAll(/\{\{\s*([\w.]+)\s*(?:,[^}]*)?\}\}/g)].map((m) => m[1] ?? ''))].sort();
}

/** The plural forms a language needs (CLDR, as i18next picks them with Intl.PluralRules). */
export function pluralForms(language: string): string[] {
  return new Intl.PluralRules(language).resolvedOptions().pluralCategories;
}

/**
 * The keys of one language with plural forms folded: `devices_one`, `devices_other`… become
 * `devices` (a plural key: its forms listed). A key ending in `_other` without an `_one`
 * sibling (`operator_other`, "another operator") is an ordinary key.
 */
function readKeys(
  namespaces: Record<string, Record<string, unknown>>,
): Map<string, { value: unknown; forms?: Map<string, unknown> }> {
  const flat = new Map<string, unknown>();
  for (const [ns, tree] of Object.entries(namespaces)) flatten(tree, `${ns}:`, flat);
  const plurals = new Set<string>();
  for (const key of flat.keys()) {
    const match = PLURAL_SUFFIX.exec(key);
    if (match?.[2] === 'one' && flat.has(`${match[1]}_other`)) plurals.add(match[1] ?? '');
  }
  const out = new Map<string, { value: unknown; forms?: Map<string, unknown> }>();
  for (const [key, value] of flat) {
    const match = PLURAL_SUFFIX.exec(key);
    const base = match?.[1];
    if (base === undefined || !plurals.has(base)) {
      out.set(key, { value });
      continue;
    }
    const entry = out.get(base) ?? { value: undefined, forms: new Map<string, unknown>() };
    entry.forms?.set(match?.[2] ?? '', value);
    if (match?.[2] === 'other') entry.value = value;
    out.set(base, entry);
  }
  return out;
}

/**
 * Lists every key of `reference` missing from another language, every key with different
 * interpolation variables, and (as `<reference>: …`) keys other languages have in excess.
 * A plural key (`_one`, `_other`…) must have, in each language, every form that language's
 * plural rules use (Arabic six, French three, English two…); a form may leave out `count`
 * (Arabic says "two devices" in one word) but no other variable.
 */
export function findLocaleProblems(resources: Resources, reference: string): string[] {
  const problems: string[] = [];
  const base = readKeys(resources[reference] ?? {});
  for (const [lng, namespaces] of Object.entries(resources)) {
    const keys = readKeys(namespaces);
    const check = (key: string, forms: Map<string, unknown> | undefined) => {
      const needed = forms ? pluralForms(lng) : [];
      for (const form of needed)
        if (!forms?.has(form)) problems.push(`${lng}: missing ${key.replace(':.', ':')}_${form}`);
    };
    if (lng === reference) {
      for (const [key, entry] of base) check(key, entry.forms);
      continue;
    }
    for (const [key, entry] of base) {
      const k = key.replace(':.', ':');
      const found = keys.get(key);
      if (!found) {
        problems.push(`${lng}: missing ${k}`);
        continue;
      }
      if (Array.isArray(entry.value)) continue;
      if (entry.forms && !found.forms) problems.push(`${lng}: ${k} has no plural forms`);
      check(key, found.forms);
      const expected = variables(entry.value);
      if (!found.forms) {
        const actual = variables(found.value);
        if (expected.join(',') !== actual.join(','))
          problems.push(`${lng}: ${k} has variables [${actual.join(', ')}] instead of [${expected.join(', ')}]`);
        continue;
      }
      for (const [form, value] of found.forms) {
        const actual = variables(value);
        const without = (list: string[]) => list.filter((v) => v !== 'count').join(',');
        const fits =
          form === 'other'
            ? actual.join(',') === expected.join(',')
            : without(actual) === without(expected) && actual.every((v) => expected.includes(v));
        if (!fits)
          problems.push(
            `${lng}: ${k}_${form} has variables [${actual.join(', ')}] instead of [${expected.join(', ')}]`,
          );
      }
    }
    for (const key of keys.keys())
      if (!base.has(key)) problems.push(`${reference}: missing ${key.replace(':.', ':')} (present in ${lng})`);
  }
  return problems;
}
