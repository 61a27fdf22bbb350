import { describe, expect, it } from 'vitest';
import { FlowHarness } from '../support/flowHarness.js';

const created = (reference: string) => ({
  kind: 'event' as const,
  name: 'pledgeCreated',
  data: { pledgeId: 'p-1', reference },
});
const point = {
  id: 'd1',
  name: 'Ressourcerie du Port',
  category: 'DROP_OFF' as const,
  address: '5 quai du Commerce',
  postcode: '62100',
  city: 'Calais',
  distanceKm: 1.4,
  hours: [{ day: 3, open: '10:00', close: '18:00' }],
};

function toDropOff(chat: FlowHarness): void {
  chat.send({ kind: 'start' });
  chat.choose('give');
  chat.choose('individual');
}

describe('individual donation', () => {
  it(
    'a small gift: nearest drop-off points to a typed postcode with distance and hours, then a DROP_OFF pledge ' +
      '(French)',
    () => {
      const chat = new FlowHarness({ language: 'fr' });
      toDropOff(chat);
      chat.choose('smartphone');
      chat.send('2');
      expect(chat.choose('small_bag')).toEqual([chat.t('donation:where')]);
      chat.send('62 100');
      expect(chat.commands).toEqual([
        { type: 'findPlaces', category: 'DROP_OFF', accepts: 'smartphone', limit: 3, postcode: '62100' },
      ]);
      const texts = chat.send({ kind: 'event', name: 'places', data: { places: [point] } });
      expect(texts[0]).toBe(chat.t('donation:points', { kind: chat.t('donor:item_smartphone') }));
      expect(texts[1]).toContain('Ressourcerie du Port');
      expect(texts[1]).toContain('📏 1.4 km');
      expect(texts[1]).toContain('mercredi');
      chat.choose('announce');
      expect(chat.commands).toEqual([
        {
          type: 'createPledge',
          id: 'cmd-createPledge',
          pledge: {
            kind: 'DROP_OFF',
            donorKind: 'INDIVIDUAL',
            items: [{ kind: 'smartphone', quantity: 2 }],
            postcode: '62100',
            volumeM3: 0.05,
          },
        },
      ]);
      expect(chat.send(created('D-1043'))[0]).toBe(chat.t('donation:announced', { reference: 'D-1043' }));
      chat.choose('yes');
      expect(chat.commands).toEqual([{ type: 'setDonorUpdates', enabled: true }]);
    },
  );

  it('a shared location searches around it; no point found says so and offers another search', () => {
    const chat = new FlowHarness({ language: 'en' });
    toDropOff(chat);
    chat.choose('laptop');
    chat.send('1');
    chat.choose('few_boxes');
    chat.send({ kind: 'location', latitude: 50.95, longitude: 1.85 });
    expect(chat.commands).toEqual([
      {
        type: 'findPlaces',
        category: 'DROP_OFF',
        accepts: 'laptop',
        limit: 3,
        near: { latitude: 50.95, longitude: 1.85 },
      },
    ]);
    expect(chat.send({ kind: 'event', name: 'places', data: { places: [] } })[0]).toBe(chat.t('donation:no_point'));
    expect(chat.choose('again')).toEqual([chat.t('donation:where')]);
    expect(chat.send('somewhere').join('\n')).toContain(chat.t('donation:where_invalid'));
  });

  it('more than 2 m³ becomes a free pickup request with address, window and contact', () => {
    const chat = new FlowHarness({ language: 'en' });
    toDropOff(chat);
    chat.choose('other');
    chat.send('30');
    expect(chat.choose('over_2m3')).toEqual([chat.t('donation:pickup_intro'), chat.t('donor:address')]);
    chat.send('8 avenue Foch, 75016 Paris');
    chat.choose('flexible');
    chat.send('Jean');
    const summary = chat.send('+33 6 12 34 56 78').at(-1) ?? '';
    expect(summary).toContain('📦 30');
    expect(summary).toContain('8 avenue Foch, 75016 Paris');
    chat.choose('send');
    expect(chat.commands).toEqual([
      {
        type: 'createPledge',
        id: 'cmd-createPledge',
        pledge: {
          donorKind: 'INDIVIDUAL',
          donor: { name: 'Jean', phone: '+33 6 12 34 56 78', address: '8 avenue Foch, 75016 Paris' },
          kind: 'PICKUP',
          items: [{ kind: 'other', quantity: 30 }],
          postcode: '75016',
          pickupWindow: 'flexible',
          volumeM3: 3,
        },
      },
    ]);
    expect(chat.send(created('D-1044'))[0]).toBe(chat.t('donation:pickup_created', { reference: 'D-1044' }));
  });

  it('sponsoring a suspended phone records an amount typed in Persian digits, in Dari (RTL)', () => {
    const chat = new FlowHarness({ language: 'fa' });
    toDropOff(chat);
    chat.choose('sponsor');
    expect(chat.send('۲ یورو').join('\n')).toContain(chat.t('donation:amount_invalid', {}, 'fa'));
    chat.send('۲۵ €');
    chat.send('Sara');
    const summary = chat.send('sara@example.org');
    expect(summary.at(-1)).toContain('25 €');
    expect(chat.messages.at(-1)?.rtl).toBe(true);
    chat.choose('send');
    expect(chat.commands).toEqual([
      {
        type: 'createPledge',
        id: 'cmd-createPledge',
        pledge: {
          donorKind: 'INDIVIDUAL',
          donor: { name: 'Sara', email: 'sara@example.org' },
          kind: 'SPONSORSHIP',
          sponsorAmountCents: 2500,
        },
      },
    ]);
  });
});
