import { describe, expect, it } from 'vitest';
import { FlowHarness } from '../support/flowHarness.js';

// the harness clock: Tuesday 24 November 2026, 11:00 in Paris
const places = [
  {
    id: 'a',
    name: 'Secours Populaire',
    category: 'DISTRIBUTION',
    address: '2 rue de la Paix',
    postcode: '62100',
    city: 'Calais',
    distanceKm: 1.2,
    hours: [
      { day: 2, open: '09:00', close: '12:00' },
      { day: 4, open: '14:00', close: '17:00' },
    ],
  },
  {
    id: 'b',
    name: 'Salle Jean Jaurès',
    category: 'DISTRIBUTION',
    address: null,
    postcode: null,
    city: 'Calais',
    distanceKm: 3.45,
    hours: [{ day: 1, open: '14:00', close: '17:00' }],
  },
  {
    id: 'c',
    name: 'Point sans horaires',
    category: 'DISTRIBUTION',
    address: null,
    postcode: null,
    city: null,
    distanceKm: null,
    hours: [],
  },
];

describe('orientation', () => {
  it(
    'with a shared location asks the nearest places of the category, and shows hours, distance and "open now" ' +
      '(English)',
    () => {
      const chat = new FlowHarness({ language: 'en' });
      chat.send({ kind: 'start' });
      chat.choose('orientation');
      expect(chat.choose('DISTRIBUTION')).toEqual([chat.t('orientation:where')]);
      expect(chat.messages[0]?.askLocation).toBe(true);
      expect(chat.send({ kind: 'location', latitude: 50.95, longitude: 1.85 })).toEqual([]);
      expect(chat.commands).toEqual([
        { type: 'findPlaces', category: 'DISTRIBUTION', near: { latitude: 50.95, longitude: 1.85 }, limit: 5 },
      ]);
      const texts = chat.send({ kind: 'event', name: 'places', data: { places } });
      expect(texts[0]).toBe(
        chat.t('orientation:place_near', {
          name: 'Secours Populaire',
          address: '2 rue de la Paix, 62100 Calais',
          km: '1.2',
          status: chat.t('orientation:open_now'),
          hours: 'Tuesday: 09:00–12:00\nThursday: 14:00–17:00',
        }),
      );
      expect(texts[1]).toContain('📏 3.5 km'); // km with one decimal
      expect(texts[1]).toContain(chat.t('orientation:closed_now'));
      expect(texts[1]).toContain('Monday: 14:00–17:00');
      expect(texts[2]).toBe(chat.t('orientation:place_no_hours', { name: 'Point sans horaires', address: '—' }));
      expect(texts[3]).toBe(chat.t('orientation:what_next'));
    },
  );

  it("shows weekday names in the person's language, in Arabic (RTL)", () => {
    const chat = new FlowHarness({ language: 'ar' });
    chat.send({ kind: 'start' });
    chat.choose('orientation');
    chat.send('٢');
    chat.send('١'); // see the list
    expect(chat.commands).toEqual([{ type: 'findPlaces', category: 'DISTRIBUTION', limit: 5 }]);
    const texts = chat.send({ kind: 'event', name: 'places', data: { places: [{ ...places[0], distanceKm: null }] } });
    expect(texts[0]).toContain('الثلاثاء');
    expect(texts[0]).toContain('الخميس');
    expect(texts[0]).toContain(chat.t('orientation:open_now', {}, 'ar'));
    expect(chat.messages[0]?.rtl).toBe(true);
  });

  it('a typed postcode searches the person\'s area; nothing found says so; "another" starts again', () => {
    const chat = new FlowHarness({ language: 'en' });
    chat.send({ kind: 'start' });
    chat.choose('orientation');
    chat.choose('CHARGING');
    chat.send('62 100');
    expect(chat.commands).toEqual([{ type: 'findPlaces', category: 'CHARGING', postcode: '62100', limit: 5 }]);
    expect(chat.send({ kind: 'event', name: 'places', data: { places: [] } })[0]).toBe(chat.t('orientation:none'));
    expect(chat.choose('another')).toEqual([chat.t('orientation:category')]);
  });

  it('words that are neither a place nor a postcode get a hint', () => {
    const chat = new FlowHarness({ language: 'en' });
    chat.send({ kind: 'start' });
    chat.choose('orientation');
    chat.choose('ASSOCIATION');
    expect(chat.send('near the beach')[0]).toBe(chat.t('orientation:where_invalid'));
    expect(chat.commands).toEqual([]);
  });
});
