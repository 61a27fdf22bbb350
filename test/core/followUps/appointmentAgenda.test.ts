import { describe, expect, it } from 'vitest';
import { endOfLocalDay } from '../../../src/core/followUps/appointmentAgenda.js';

describe("the App Home's day of appointments", () => {
  it('ends at the next midnight of the time zone, summer and winter time alike', () => {
    // 22:30 UTC on 4 December is 23:30 in Paris (UTC+1): the day ends half an hour later
    expect(endOfLocalDay(new Date('2026-12-04T22:30:00Z'), 'Europe/Paris').toISOString()).toBe(
      '2026-12-04T23:00:00.000Z',
    );
    // 22:30 UTC on 4 July is already 00:30 on the 5th in Paris (UTC+2)
    expect(endOfLocalDay(new Date('2026-07-04T22:30:00Z'), 'Europe/Paris').toISOString()).toBe(
      '2026-07-05T22:00:00.000Z',
    );
    // the night clocks go back (25 October 2026): midnight of the 25th is still UTC+2
    expect(endOfLocalDay(new Date('2026-10-24T12:00:00Z'), 'Europe/Paris').toISOString()).toBe(
      '2026-10-24T22:00:00.000Z',
    );
    expect(endOfLocalDay(new Date('2026-10-25T12:00:00Z'), 'Europe/Paris').toISOString()).toBe(
      '2026-10-25T23:00:00.000Z',
    );
    expect(endOfLocalDay(new Date('2026-12-04T10:00:00Z'), 'UTC').toISOString()).toBe('2026-12-05T00:00:00.000Z');
  });
});
