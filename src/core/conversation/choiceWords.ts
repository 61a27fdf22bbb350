/**
 * Words people type for a choice, from `locales/<lng>/keywords.json` (all languages together:
 * someone writing in Arabic to a French-speaking Relais still writes "عربي"): language names
 * ("english", "anglais", "عربي", "ትግርኛ" for `lang:en`, `lang:ar`…) and the menu's entries by a
 * word ("téléphone", "هاتف" for `phone`). A word given for two different choices is dropped:
 * it would guess.
 */
export interface ChoiceWords {
  /** normalised word → choice id */
  byWord: ReadonlyMap<string, string>;
  /** choice id → its normalised words */
  byChoice: ReadonlyMap<string, readonly string[]>;
}

/** Words shorter than this get no typo tolerance ("phone" does, "tel" does not). */
const TYPO_MIN_LENGTH = 5;

export function buildChoiceWords(
  spellings: Record<string, string[]>,
  normalize: (text: string) => string,
): ChoiceWords {
  const owners = new Map<string, Set<string>>();
  for (const [id, words] of Object.entries(spellings)) {
    for (const word of words.map(normalize).filter((w) => w.length > 0)) {
      const set = owners.get(word) ?? new Set<string>();
      set.add(id);
      owners.set(word, set);
    }
  }
  const byWord = new Map<string, string>();
  const byChoice = new Map<string, string[]>();
  for (const [word, ids] of owners) {
    const [id] = [...ids];
    if (ids.size !== 1 || id === undefined) continue;
    byWord.set(word, id);
    byChoice.set(id, [...(byChoice.get(id) ?? []), word]);
  }
  return { byWord, byChoice };
}

/** Whether `a` becomes `b` by at most one insertion, deletion or substitution (by code point). */
export function withinOneEdit(a: string, b: string): boolean {
  const x = [...a];
  const y = [...b];
  if (Math.abs(x.length - y.length) > 1) return false;
  let i = 0;
  while (i < x.length && i < y.length && x[i] === y[i]) i++;
  let j = 0;
  while (j < x.length - i && j < y.length - i && x[x.length - 1 - j] === y[y.length - 1 - j]) j++;
  // what is left between the common start and the common end is at most one character each
  return x.length - i - j <= 1 && y.length - i - j <= 1;
}

/** A typed word and a known one differ by one edit, both long enough for that to be a typo. */
function typoOf(typed: string, known: string): boolean {
  return [...typed].length >= TYPO_MIN_LENGTH && [...known].length >= TYPO_MIN_LENGTH && withinOneEdit(typed, known);
}

/**
 * The offered choice a typed text names, if exactly one: a word of the choice's list, then
 * one edit away (words of 5 letters or more) from the whole label, a word of the label, or a
 * word of the list. `choices` carry their labels already normalised.
 */
export function choiceByWords(
  typed: string,
  choices: ReadonlyArray<{ id: string; label: string }>,
  words: ChoiceWords | undefined,
): string | undefined {
  const offered = new Set(choices.map((c) => c.id));
  const named = words?.byWord.get(typed);
  if (named !== undefined && offered.has(named)) return named;
  const typedWords = typed.split(' ');
  const matches = choices.filter((choice) => {
    const labelWords = choice.label.split(' ');
    const listed = words?.byChoice.get(choice.id) ?? [];
    if (typoOf(typed, choice.label) || listed.some((w) => typoOf(typed, w))) return true;
    return typedWords.length === 1 && labelWords.some((w) => typoOf(typed, w));
  });
  return matches.length === 1 ? matches[0]?.id : undefined;
}
