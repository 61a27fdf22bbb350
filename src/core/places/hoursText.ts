import { weeklyHoursSchema, type OpeningSlot, type PlaceHours } from './placeHours.js';

/** Day words understood in typed hours (English and French, short and long), index 0 = Sunday as `OpeningSlot.day`. */
const DAY_WORDS: ReadonlyArray<readonly string[]> = [
  ['sun', 'sunday', 'dim', 'dimanche'],
  ['mon', 'monday', 'lun', 'lundi'],
  ['tue', 'tuesday', 'mar', 'mardi'],
  ['wed', 'wednesday', 'mer', 'mercredi'],
  ['thu', 'thursday', 'jeu', 'jeudi'],
  ['fri', 'friday', 'ven', 'vendredi'],
  ['sat', 'saturday', 'sam', 'samedi'],
];

/** How hours are written back, per staff language (French weeks start on Monday, so do lines). */
const SHORT_DAYS: Record<'fr' | 'en', readonly string[]> = {
  fr: ['dim', 'lun', 'mar', 'mer', 'jeu', 'ven', 'sam'],
  en: ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'],
};
const WEEK = [1, 2, 3, 4, 5, 6, 0];

/** Why a line of typed hours was refused: the line (1-based) and what is wrong with it. */
export interface HoursTextProblem {
  line: number;
  problem: 'day' | 'time' | 'order' | 'too_many';
  /** the word that could not be read, for `day` and `time` */
  token?: string;
}

export type HoursTextResult = { ok: true; hours: PlaceHours } | { ok: false; error: HoursTextProblem };

function dayOf(word: string): number | undefined {
  const index = DAY_WORDS.findIndex((words) => words.includes(word.toLowerCase().replace(/[.:]$/, '')));
  return index === -1 ? undefined : index;
}

/** "mon", "mon-fri" (wrapping: "sat-sun"), "mon,wed,fri". */
function daysOf(token: string): number[] | undefined {
  const days: number[] = [];
  for (const part of token.split(',')) {
    const [from, to, ...rest] = part.split('-');
    const start = from === undefined ? undefined : dayOf(from);
    if (start === undefined || rest.length > 0) return undefined;
    if (to === undefined) {
      days.push(start);
      continue;
    }
    const end = dayOf(to);
    if (end === undefined) return undefined;
    for (let d = start; ; d = (d + 1) % 7) {
      days.push(d);
      if (d === end) break;
    }
  }
  return [...new Set(days)];
}

/** "9", "9h", "9h30", "09:30" → "09:30"; the range checks are the zod schema's. */
function timeOf(text: string): string | undefined {
  const match = /^(\d{1,2})(?:[:h](\d{2}))?h?$/i.exec(text);
  if (!match) return undefined;
  return `${(match[1] ?? '').padStart(2, '0')}:${match[2] ?? '00'}`;
}

/**
 * Reads weekly opening hours typed by a person, one line (or `;`-separated part) per group of
 * days: `mon-fri 09:00-12:00 14:00-18:00`, `sat 10h-13h`, `lun,mer 9h30-12h`. Days in English
 * or French; an empty text means "hours unknown". The slots are then checked with the same zod
 * schema as the admin API (`weeklyHoursSchema`: 00:00–24:00, close after open, at most 42).
 */
export function parseHoursText(text: string): HoursTextResult {
  const lines = text
    .split(/\n|;/)
    .map((l) =>
      l
        .trim()
        .replace(/\s*[-–]\s*/g, '-')
        .replace(/\s*,\s*/g, ','),
    )
    .map((l, i) => ({ text: l, line: i + 1 }))
    .filter((l) => l.text.length > 0);
  const slots: OpeningSlot[] = [];
  const lineOfSlot: number[] = [];
  for (const { text: lineText, line } of lines) {
    const [dayToken = '', ...rest] = lineText.split(/\s+/);
    const days = daysOf(dayToken);
    if (!days) return { ok: false, error: { line, problem: 'day', token: dayToken } };
    const ranges = rest
      .join(' ')
      .split(/[\s,]+/)
      .filter(Boolean);
    if (ranges.length === 0) return { ok: false, error: { line, problem: 'time', token: '' } };
    for (const range of ranges) {
      const [openText = '', closeText = '', ...extra] = range.split('-');
      const open = timeOf(openText);
      const close = timeOf(closeText);
      if (!open || !close || extra.length > 0) return { ok: false, error: { line, problem: 'time', token: range } };
      for (const day of days) {
        slots.push({ day, open, close });
        lineOfSlot.push(line);
      }
    }
  }
  const checked = weeklyHoursSchema.safeParse(slots);
  if (checked.success)
    return { ok: true, hours: [...checked.data].sort((a, b) => a.day - b.day || a.open.localeCompare(b.open)) };
  const issue = checked.error.issues[0];
  const index = typeof issue?.path[0] === 'number' ? issue.path[0] : undefined;
  if (index === undefined) return { ok: false, error: { line: lines.at(-1)?.line ?? 1, problem: 'too_many' } };
  const slot = slots[index];
  const problem = issue?.path[1] === 'close' && issue.code === 'custom' ? 'order' : 'time';
  return {
    ok: false,
    error: {
      line: lineOfSlot[index] ?? 1,
      problem,
      ...(problem === 'time' && slot ? { token: `${slot.open}-${slot.close}` } : {}),
    },
  };
}

/** Weekly hours written the way `parseHoursText` reads them, one line per day from Monday. */
export function formatHoursText(hours: PlaceHours, language: string): string {
  const days = SHORT_DAYS[language === 'fr' ? 'fr' : 'en'];
  return WEEK.flatMap((day) => {
    const slots = hours.filter((s) => s.day === day).sort((a, b) => a.open.localeCompare(b.open));
    if (slots.length === 0) return [];
    return [`${days[day] ?? ''} ${slots.map((s) => `${s.open}-${s.close}`).join(' ')}`];
  }).join('\n');
}
