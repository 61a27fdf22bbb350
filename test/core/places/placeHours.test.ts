import { describe, expect, it } from 'vitest';
import { haversineKm, roundKm } from '../../../src/core/places/geoDistance.js';
import { isOpenAt, parisWallClock, readPlaceHours } from '../../../src/core/places/placeHours.js';

describe('opening hours', () => {
  it('reads valid hours sorted by day and time, and treats anything malformed as unknown', () => {
    expect(
      readPlaceHours([
        { day: 3, open: '14:00', close: '17:00' },
        { day: 1, open: '09:00', close: '12:00' },
      ]),
    ).toEqual([
      { day: 1, open: '09:00', close: '12:00' },
      { day: 3, open: '14:00', close: '17:00' },
    ]);
    expect(readPlaceHours([{ day: 7, open: '09:00', close: '12:00' }])).toEqual([]);
    expect(readPlaceHours([{ day: 1, open: '9h', close: '12:00' }])).toEqual([]);
    expect(readPlaceHours([{ day: 1, open: '12:00', close: '09:00' }])).toEqual([]);
    expect(readPlaceHours('lundi 9h-12h')).toEqual([]);
  });

  it('"open now" uses Paris time, summer and winter', () => {
    const hours = [{ day: 2, open: '09:00', close: '12:00' }];
    // 08:30 UTC on a Tuesday in November is 09:30 in Paris (UTC+1)
    expect(isOpenAt(hours, new Date('2026-11-24T08:30:00Z'))).toBe(true);
    // 10:30 UTC on a Tuesday in July is 12:30 in Paris (UTC+2): closed
    expect(isOpenAt(hours, new Date('2026-07-07T10:30:00Z'))).toBe(false);
    expect(parisWallClock(new Date('2026-11-24T23:30:00Z'))).toEqual({ day: 3, time: '00:30' });
    expect(isOpenAt([], new Date())).toBeNull();
  });
});

describe('distances', () => {
  it('haversine gives the great-circle distance in km', () => {
    // Calais to Dunkirk: about 37.4 km as the crow flies (flat-earth estimate: 36.3 km east, 9.2 km north)
    const km = haversineKm({ latitude: 50.9513, longitude: 1.8587 }, { latitude: 51.0343, longitude: 2.3768 });
    expect(roundKm(km)).toBe(37.4);
    expect(haversineKm({ latitude: 48.8566, longitude: 2.3522 }, { latitude: 48.8566, longitude: 2.3522 })).toBe(0);
  });
});
