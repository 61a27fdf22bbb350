import { globalKeywords, type GlobalKeyword, type KeywordTable } from '../../core/conversation/globalKeywords.js';
import { normalizeDigits, normalizeText } from '../../core/conversation/normalizeText.js';
import { choiceByWords } from '../../core/conversation/choiceWords.js';
import type { FlowState, ParsedInput, FlowInput } from './flowTypes.js';

/** The global keyword the whole message is, if any ("menu", "رجوع", "/help"…). */
export function detectKeyword(input: FlowInput, keywords: KeywordTable): GlobalKeyword | undefined {
  if (input.kind !== 'text') return undefined;
  const normalized = normalizeText(input.text);
  if (normalized.length === 0 || normalized.length > 40) return undefined;
  return globalKeywords.find((k) => keywords[k].has(normalized));
}

/**
 * Matches an input against the choices of the last prompt: button id, number (any script),
 * label, a word listed for the choice, or a small typo (choiceWords.ts).
 */
export function parseInput(input: FlowInput, state: FlowState, keywords?: KeywordTable): ParsedInput {
  if (input.kind === 'choice') {
    const found = state.choices.find((c) => c.id === input.choiceId);
    return found ? { content: input, choiceId: found.id } : { content: input };
  }
  if (input.kind !== 'text') return { content: input };
  const text = normalizeDigits(input.text.normalize('NFKC')).trim();
  const normalized = normalizeText(input.text);
  const numbered = /^(\d{1,2})\s*[.)-]?$/.exec(normalized);
  if (numbered?.[1] !== undefined) {
    const index = Number(numbered[1]) - 1;
    const choice = state.choices[index];
    if (choice) return { content: input, choiceId: choice.id, text };
  }
  if (normalized.length > 0) {
    const byLabel = state.choices.filter((c) => normalizeText(c.label) === normalized);
    if (byLabel.length === 1 && byLabel[0]) return { content: input, choiceId: byLabel[0].id, text };
    const byPrefix =
      normalized.length >= 3 ? state.choices.filter((c) => normalizeText(c.label).startsWith(normalized)) : [];
    if (byPrefix.length === 1 && byPrefix[0]) return { content: input, choiceId: byPrefix[0].id, text };
    const labelled = state.choices.map((c) => ({ id: c.id, label: normalizeText(c.label) }));
    const byWords = choiceByWords(normalized, labelled, keywords?.choices);
    if (byWords !== undefined) return { content: input, choiceId: byWords, text };
  }
  return { content: input, text };
}
