import { describe, expect, it } from 'vitest';
import { parseImpactArgs } from '../../../src/bots/slack/features/commands/impactArgs.js';

const NOW = new Date('2026-11-24T15:00:00Z');
const day = (iso: string) => new Date(`${iso}T00:00:00Z`);

describe('/relais impact arguments', () => {
  it('nothing means since the start, without a chart', () => {
    expect(parseImpactArgs([], NOW)).toEqual({ period: {}, chart: false, network: false });
  });

  it('reads a month, a year, the current month or year, in French or English', () => {
    expect(parseImpactArgs(['2026-11'], NOW)?.period).toEqual({ since: day('2026-11-01'), until: day('2026-12-01') });
    expect(parseImpactArgs(['2026'], NOW)?.period).toEqual({ since: day('2026-01-01'), until: day('2027-01-01') });
    expect(parseImpactArgs(['mois'], NOW)?.period).toEqual({ since: day('2026-11-01'), until: day('2026-12-01') });
    expect(parseImpactArgs(['year'], NOW)?.period).toEqual({ since: day('2026-01-01'), until: day('2027-01-01') });
    expect(parseImpactArgs(['2026-12'], NOW)?.period).toEqual({ since: day('2026-12-01'), until: day('2027-01-01') });
  });

  it('one day means since that day; two dates include both days', () => {
    expect(parseImpactArgs(['2026-11-05'], NOW)?.period).toEqual({ since: day('2026-11-05') });
    expect(parseImpactArgs(['2026-11-01', '2026-11-15'], NOW)?.period).toEqual({
      since: day('2026-11-01'),
      until: day('2026-11-16'),
    });
    expect(parseImpactArgs(['2026-09', '2026-11'], NOW)?.period).toEqual({
      since: day('2026-09-01'),
      until: day('2026-12-01'),
    });
  });

  it('chart and network words in any order and either language', () => {
    expect(parseImpactArgs(['Graphique', 'réseau', '2026-11'], NOW)).toMatchObject({ chart: true, network: true });
    expect(parseImpactArgs(['2026', 'chart'], NOW)).toMatchObject({ chart: true, network: false });
  });

  it('refuses what it does not understand: unknown words, impossible dates, reversed or too many dates', () => {
    for (const args of [['hier'], ['2026-13'], ['2026-02-30'], ['2026-11-15', '2026-11-01'], ['2026', '2027', '2028']])
      expect(parseImpactArgs(args, NOW), args.join(' ')).toBeNull();
  });
});
