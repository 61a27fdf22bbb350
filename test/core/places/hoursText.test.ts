import { describe, expect, it } from 'vitest';
import { formatHoursText, parseHoursText } from '../../../src/core/places/hoursText.js';
import { weeklyHoursSchema } from '../../../src/core/places/placeHours.js';

describe('typed opening hours', () => {
  it('reads day ranges, day lists and several slots a day, in English or French, with 9h30 or 09:30 times', () => {
    const parsed = parseHoursText('lun-ven 09:00-12:00 14:00 - 18:00\nsat,Dimanche 10h-13h; mer 9h30-12h');
    expect(parsed).toEqual({
      ok: true,
      hours: [
        { day: 0, open: '10:00', close: '13:00' },
        { day: 1, open: '09:00', close: '12:00' },
        { day: 1, open: '14:00', close: '18:00' },
        { day: 2, open: '09:00', close: '12:00' },
        { day: 2, open: '14:00', close: '18:00' },
        { day: 3, open: '09:00', close: '12:00' },
        { day: 3, open: '09:30', close: '12:00' },
        { day: 3, open: '14:00', close: '18:00' },
        { day: 4, open: '09:00', close: '12:00' },
        { day: 4, open: '14:00', close: '18:00' },
        { day: 5, open: '09:00', close: '12:00' },
        { day: 5, open: '14:00', close: '18:00' },
        { day: 6, open: '10:00', close: '13:00' },
      ],
    });
  });

  it('a day range may wrap over the weekend, and an empty text means hours unknown', () => {
    expect(parseHoursText('fri-mon 10:00-11:00')).toMatchObject({
      ok: true,
      hours: [0, 1, 5, 6].map((day) => ({ day, open: '10:00', close: '11:00' })),
    });
    expect(parseHoursText('  \n ')).toEqual({ ok: true, hours: [] });
  });

  it('says which line is wrong and why, with the same rules as the admin API', () => {
    expect(parseHoursText('mon 09:00-12:00\nfunday 09:00-12:00')).toEqual({
      ok: false,
      error: { line: 2, problem: 'day', token: 'funday' },
    });
    expect(parseHoursText('mon 9-12am')).toEqual({ ok: false, error: { line: 1, problem: 'time', token: '9-12am' } });
    expect(parseHoursText('mon')).toEqual({ ok: false, error: { line: 1, problem: 'time', token: '' } });
    expect(parseHoursText('mon 09:00-12:00\ntue 18:00-09:00')).toEqual({
      ok: false,
      error: { line: 2, problem: 'order' },
    });
    expect(parseHoursText('wed 25:00-26:00')).toEqual({
      ok: false,
      error: { line: 1, problem: 'time', token: '25:00-26:00' },
    });
    expect(
      parseHoursText('mon-sun 00:00-01:00 01:00-02:00 02:00-03:00 03:00-04:00 04:00-05:00 05:00-06:00 06:00-07:00'),
    ).toMatchObject({ ok: false, error: { problem: 'too_many' } });
    // what the admin API refuses the parser refuses too
    expect(weeklyHoursSchema.safeParse([{ day: 2, open: '18:00', close: '09:00' }]).success).toBe(false);
  });

  it('writes hours back in the staff member’s language so that they read the same', () => {
    const hours = [
      { day: 1, open: '09:00', close: '12:00' },
      { day: 1, open: '14:00', close: '18:00' },
      { day: 0, open: '10:00', close: '13:00' },
    ];
    expect(formatHoursText(hours, 'fr')).toBe('lun 09:00-12:00 14:00-18:00\ndim 10:00-13:00');
    expect(formatHoursText(hours, 'en')).toBe('mon 09:00-12:00 14:00-18:00\nsun 10:00-13:00');
    const again = parseHoursText(formatHoursText(hours, 'fr'));
    expect(again.ok && again.hours).toEqual([...hours].sort((a, b) => a.day - b.day || a.open.localeCompare(b.open)));
  });
});
