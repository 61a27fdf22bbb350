import type { ImpactPeriod } from '../../../../core/impact/impactPeriod.js';

/** What `/relais impact …` asks for. */
export interface ImpactArgs {
  period: ImpactPeriod;
  /** also post the chart (PNG) in the channel */
  chart: boolean;
  /** the chart shows the whole network instead of the volunteer's association */
  network: boolean;
}

const CHART_WORDS = new Set(['chart', 'graph', 'graphique', 'graphe']);
const NETWORK_WORDS = new Set(['network', 'réseau', 'reseau']);
const MONTH_WORDS = new Set(['month', 'mois']);
const YEAR_WORDS = new Set(['year', 'année', 'annee', 'an']);

const utc = (year: number, month: number, day = 1) => new Date(Date.UTC(year, month, day));

/** A typed date: 2026 (the year), 2026-11 (the month) or 2026-11-05 (the day), as [start, end excluded]. */
function span(word: string): [Date, Date] | null {
  const match = /^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?$/.exec(word);
  if (!match) return null;
  const year = Number(match[1]);
  if (match[2] === undefined) return [utc(year, 0), utc(year + 1, 0)];
  const month = Number(match[2]) - 1;
  if (month < 0 || month > 11) return null;
  if (match[3] === undefined) return [utc(year, month), utc(year, month + 1)];
  const day = Number(match[3]);
  const start = utc(year, month, day);
  // 2026-02-30 would roll over to March: refuse it instead
  if (start.getUTCMonth() !== month || day < 1) return null;
  return [start, utc(year, month, day + 1)];
}

/**
 * Reads `/relais impact [chart] [network] [period]`. Period: nothing (since the start),
 * `month`/`mois` or `year`/`année` (the current one, UTC), `2026` (a year), `2026-11` (a
 * month), `2026-11-05` (from that day on), or two dates `2026-11-01 2026-11-15` (both days
 * included). Null when a word is not understood.
 */
export function parseImpactArgs(args: string[], now = new Date()): ImpactArgs | null {
  const result: ImpactArgs = { period: {}, chart: false, network: false };
  const dates: Array<[Date, Date]> = [];
  for (const raw of args) {
    const word = raw.toLowerCase();
    if (CHART_WORDS.has(word)) result.chart = true;
    else if (NETWORK_WORDS.has(word)) result.network = true;
    else if (MONTH_WORDS.has(word))
      dates.push([utc(now.getUTCFullYear(), now.getUTCMonth()), utc(now.getUTCFullYear(), now.getUTCMonth() + 1)]);
    else if (YEAR_WORDS.has(word)) dates.push([utc(now.getUTCFullYear(), 0), utc(now.getUTCFullYear() + 1, 0)]);
    else {
      const typed = span(word);
      if (!typed) return null;
      dates.push(typed);
    }
  }
  const [first, second] = dates;
  if (dates.length > 2) return null;
  if (first && second) {
    if (second[1].getTime() <= first[0].getTime()) return null;
    result.period = { since: first[0], until: second[1] };
  } else if (first) {
    // a single day means "since that day"; a month or a year means that month or year
    const isDay = first[1].getTime() - first[0].getTime() === 86_400_000;
    result.period = isDay ? { since: first[0] } : { since: first[0], until: first[1] };
  }
  return result;
}
