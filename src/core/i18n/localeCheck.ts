import type { Resources } from './i18n.js';

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

/**
 * Lists every key of `reference` missing from another language, every key with different
 * interpolation variables, and (as `<reference>: …`) keys other languages have in excess.
 */
export function findLocaleProblems(resources: Resources, reference: string): string[] {
  const problems: string[] = [];
  const base = new Map<string, unknown>();
  for (const [ns, tree] of Object.entries(resources[reference] ?? {})) flatten(tree, ns + ':', base);
  for (const [lng, namespaces] of Object.entries(resources)) {
    if (lng === reference) continue;
    const keys = new Map<string, unknown>();
    for (const [ns, tree] of Object.entries(namespaces)) flatten(tree, ns + ':', keys);
    for (const [key, value] of base) {
      const k = key.replace(':.', ':');
      if (!keys.has(key)) {
        problems.push(`${lng}: missing ${k}`);
        continue;
      }
      if (Array.isArray(value)) continue;
      const expected = variables(value);
      const actual = variables(keys.get(key));
      if (expected.join(',') !== actual.join(',')) problems.push(`${lng}: ${k} has variables [${actual.join(', ')}] instead of [${expected.join(', ')}]`);
    }
    for (const key of keys.keys()) if (!base.has(key)) problems.push(`${reference}: missing ${key.replace(':.', ':')} (present in ${lng})`);
  }
  return problems;
}
