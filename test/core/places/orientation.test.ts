import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeChannel } from '../../support/fakeChannel.js';
import { Person } from '../../support/person.js';
import { startTestRelais, type TestRelais } from '../../support/testRelais.js';

let t: TestRelais;
const channel = new FakeChannel('TELEGRAM');

// a person near Calais station (50.9530, 1.8530)
const here = { latitude: 50.953, longitude: 1.853 };

beforeAll(async () => {
  t = await startTestRelais('orientation', {}, { transports: () => [channel] });
  const everyDay = [0, 1, 2, 3, 4, 5, 6].map((day) => ({ day, open: '00:00', close: '23:59' }));
  await t.relais.db.place.createMany({
    data: [
      {
        name: 'Far (Dunkirk)',
        category: 'CHARGING',
        city: 'Dunkerque',
        postcode: '59140',
        latitude: 51.0343,
        longitude: 2.3768,
        hours: everyDay,
      },
      {
        name: 'Near (station)',
        category: 'CHARGING',
        city: 'Calais',
        postcode: '62100',
        latitude: 50.9535,
        longitude: 1.8535,
        hours: everyDay,
      },
      {
        name: 'Middle (beach)',
        category: 'CHARGING',
        city: 'Calais',
        postcode: '62100',
        latitude: 50.968,
        longitude: 1.83,
        hours: 'not json hours',
      },
      { name: 'No coordinates', category: 'CHARGING', city: 'Calais', postcode: '62100', hours: [] },
      { name: 'Closed place', category: 'CHARGING', city: 'Calais', latitude: 50.953, longitude: 1.853, active: false },
      { name: 'A distribution', category: 'DISTRIBUTION', city: 'Calais', latitude: 50.953, longitude: 1.853 },
    ],
  });
});
afterAll(async () => {
  await t?.close();
});

describe('orientation through the real inbound path', () => {
  it('with a shared location, active places of the category come nearest first, with km and hours', async () => {
    const person = new Person(t.relais, channel, 'tg-orient');
    await person.onboard('en');
    await person.choose('orientation', 'CHARGING');
    await person.send({ kind: 'location', ...here });
    await person.receives(person.t('orientation:what_next'));
    const places = person
      .texts()
      .filter((text) => text.startsWith('📍 ') && !text.includes(person.t('orientation:where').slice(3)));
    expect(places.map((text) => text.split('\n')[0])).toEqual([
      '📍 Near (station)',
      '📍 Middle (beach)',
      '📍 Far (Dunkirk)',
      '📍 No coordinates',
    ]);
    expect(places[0]).toContain('📏 0.1 km');
    expect(places[0]).toContain(person.t('orientation:open_now'));
    expect(places[0]).toContain('Monday: 00:00–23:59');
    expect(places[1]).toContain(
      person.t('orientation:place_near_no_hours', { name: 'Middle (beach)', address: '62100 Calais', km: '2.3' }),
    );
    expect(places[2]).toContain('📏 37.8 km');
  });

  it("a postcode lists the places of that département only, in the person's language", async () => {
    const person = new Person(t.relais, channel, 'tg-orient-fr');
    await person.onboard('fr');
    await person.choose('orientation', 'CHARGING');
    await person.say('62100');
    await person.receives(person.t('orientation:what_next', {}, 'fr'));
    const text = person.texts().join('\n');
    expect(text).toContain('Near (station)');
    expect(text).not.toContain('Dunkirk');
    expect(text).toContain('lundi');
  });
});
