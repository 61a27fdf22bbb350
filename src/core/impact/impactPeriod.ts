import type { StaffLanguage } from '../staff/staffI18n.js';

/** A period of impact figures: `since` included, `until` excluded; open ends mean "ever". */
export interface ImpactPeriod {
  since?: Date;
  until?: Date;
}

/** Staff text in one language (staff-locales/), as Slack features and the admin API bind it. */
export interface StaffText {
  language: StaffLanguage;
  say: (key: string, params?: Record<string, string | number>) => string;
}

const LOCALE: Record<StaffLanguage, string> = { fr: 'fr-FR', en: 'en-GB' };
const DAY_MS = 86_400_000;

const isMidnightUtc = (d: Date) =>
  d.getUTCHours() === 0 && d.getUTCMinutes() === 0 && d.getUTCSeconds() === 0 && d.getUTCMilliseconds() === 0;
const isFirstOfMonth = (d: Date) => isMidnightUtc(d) && d.getUTCDate() === 1;
const addMonths = (d: Date, months: number) => new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + months, 1));

function formatDay(d: Date, language: StaffLanguage): string {
  return new Intl.DateTimeFormat(LOCALE[language], {
    timeZone: 'UTC',
    day: 'numeric',
    month: 'short',
    year: 'numeric',
  }).format(d);
}

/** The last day a period includes, for people ("1–30 Nov", not "1 Nov – 1 Dec excluded"). */
const lastIncludedDay = (until: Date) => new Date(until.getTime() - (isMidnightUtc(until) ? DAY_MS : 0));

/**
 * A period in words for a chart title or a Slack answer: "since the start", "November 2026",
 * "2026", "1 Nov 2026 – 15 Nov 2026", "since 1 Nov 2026". Calendar months and years are UTC,
 * like the figures.
 */
export function describePeriod(period: ImpactPeriod, text: StaffText): string {
  const { since, until } = period;
  const { language, say } = text;
  if (!since && !until) return say('slack:impact.period.ever');
  if (since && until && isFirstOfMonth(since) && isFirstOfMonth(until)) {
    if (addMonths(since, 1).getTime() === until.getTime()) {
      return new Intl.DateTimeFormat(LOCALE[language], { timeZone: 'UTC', month: 'long', year: 'numeric' }).format(
        since,
      );
    }
    if (since.getUTCMonth() === 0 && addMonths(since, 12).getTime() === until.getTime())
      return String(since.getUTCFullYear());
  }
  if (since && until)
    return say('slack:impact.period.range', {
      from: formatDay(since, language),
      to: formatDay(lastIncludedDay(until), language),
    });
  if (since) return say('slack:impact.period.since', { from: formatDay(since, language) });
  return say('slack:impact.period.until', { to: formatDay(lastIncludedDay(until ?? new Date()), language) });
}

/** Numbers as staff read them: "1 234,5" in French, "1,234.5" in English. */
export function formatFigure(value: number, language: StaffLanguage): string {
  // U+202F (narrow no-break space, French thousands) is missing from some fonts: a plain no-break space reads the same
  return new Intl.NumberFormat(LOCALE[language], { maximumFractionDigits: 1 })
    .format(value)
    .replace(/\u202f/g, '\u00a0');
}

/** A date for a footer ("24 Nov 2026"). */
export const formatDate = (d: Date, language: StaffLanguage): string => formatDay(d, language);
