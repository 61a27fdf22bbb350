import type { FlowState, ParsedInput, FlowInput } from './flowTypes.js';

export const globalKeywords = ['menu', 'back', 'help', 'stop', 'language', 'announcements_off'] as const;
export type GlobalKeyword = (typeof globalKeywords)[number];
/** For each keyword, every accepted spelling in every language (normalised). */
export type KeywordTable = Record<GlobalKeyword, ReadonlySet<string>>;

const digitBlocks = [0x0660 /* Arabic-Indic */, 0x06f0 /* Persian */, 0x0966 /* Devanagari */, 0x09e6 /* Bengali */, 0xff10 /* full-width */];

/** Turns Arabic-Indic (٠-٩), Persian (۰-۹) and other decimal digits into ASCII 0-9. */
export function normalizeDigits(text: string): string {
  let out = '';
  for (const ch of text) {
    const code = ch.codePointAt(0) ?? 0;
    const block = digitBlocks.find((b) => code >= b && code <= b + 9);
    out += block === undefined ? ch : String(code - block);
  }
  return out;
}

/** Lower case, NFKC, no emoji/punctuation/marks at the ends, collapsed spaces, no leading slash. */
export function normalizeText(text: string): string {
  return normalizeDigits(text.normalize('NFKC'))
    .toLowerCase()
    .replace(/^\//, '')
    .replace(/[\u200e\u200f\u202a-\u202e\u2066-\u2069\u200b-\u200d\ufe0f]/g, '')
    .replace(/^[\s\p{P}\p{S}]+|[\s\p{P}\p{S}]+$/gu, '')
    .replace(/\s+/g, ' ')
    .trim();
}

export function buildKeywordTable(spellings: Record<GlobalKeyword, string[]>): KeywordTable {
  const table = {} as Record<GlobalKeyword, Set<string>>;
  for (const keyword of globalKeywords) {
    table[keyword] = new Set(spellings[keyword].map(normalizeText).filter((s) => s.length > 0));
  }
  return table;
}

/** The global keyword the whole message is, if any ("menu", "رجوع", "/help"…). */
export function detectKeyword(input: FlowInput, keywords: KeywordTable): GlobalKeyword | undefined {
  if (input.kind !== 'text') return undefined;
  const normalized = normalizeText(input.text);
  if (normalized.length === 0 || normalized.length > 40) return undefined;
  return globalKeywords.find((k) => keywords[k].has(normalized));
}

/** Matches an input against the choices of the last prompt: button id, number (any script) or label. */
export function parseInput(input: FlowInput, state: FlowState): ParsedInput {
  if (input.kind === 'choice') {
    const found = state.choices.find((c) => c.id === input.choiceId);
    return found ? { content: input, choiceId: found.id } : { content: input };
  }
  if (input.kind !== 'text') return { content: input };
  const text = normalizeDigits(input.text.normalize('NFKC')).trim();
  const normalized = normalizeText(input.text);
  const numbered = /^(\d{1,2})\s*[.)\-]?$/.exec(normalized);
  if (numbered?.[1] !== undefined) {
    const index = Number(numbered[1]) - 1;
    const choice = state.choices[index];
    if (choice) return { content: input, choiceId: choice.id, text };
  }
  if (normalized.length > 0) {
    const byLabel = state.choices.filter((c) => normalizeText(c.label) === normalized);
    if (byLabel.length === 1 && byLabel[0]) return { content: input, choiceId: byLabel[0].id, text };
    const byPrefix = normalized.length >= 3 ? state.choices.filter((c) => normalizeText(c.label).startsWith(normalized)) : [];
    if (byPrefix.length === 1 && byPrefix[0]) return { content: input, choiceId: byPrefix[0].id, text };
  }
  return { content: input, text };
}
