import { buildChoiceWords, type ChoiceWords } from './choiceWords.js';
import { normalizeText } from './normalizeText.js';

/** Words a person may type at any step, in any language (locales/<lng>/keywords.json). */
export const globalKeywords = ['menu', 'back', 'help', 'stop', 'language', 'announcements_off'] as const;
export type GlobalKeyword = (typeof globalKeywords)[number];
/**
 * For each keyword, every accepted spelling in every language (normalised); and the words
 * people type for choices (language names, menu entries: see choiceWords.ts).
 */
export type KeywordTable = Record<GlobalKeyword, ReadonlySet<string>> & { choices?: ChoiceWords };

export function buildKeywordTable(
  spellings: Record<GlobalKeyword, string[]>,
  choiceSpellings: Record<string, string[]> = {},
): KeywordTable {
  const spelled = (keyword: GlobalKeyword) =>
    new Set(spellings[keyword].map(normalizeText).filter((s) => s.length > 0));
  return {
    menu: spelled('menu'),
    back: spelled('back'),
    help: spelled('help'),
    stop: spelled('stop'),
    language: spelled('language'),
    announcements_off: spelled('announcements_off'),
    choices: buildChoiceWords(choiceSpellings, normalizeText),
  };
}
