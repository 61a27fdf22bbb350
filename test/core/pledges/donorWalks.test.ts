import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../../src/core/db.js';
import { startTelegramTestbed, type TelegramTestbed } from '../../support/telegramEmulator.js';
import { eventually, startTestRelais, type TestRelais } from '../../support/testRelais.js';

// Acceptance: the donor flows walked end to end on the web chat and on Telegram (emulated
// Bot API), with real Postgres and Redis, down to the stored pledges.
const everyDay = [0, 1, 2, 3, 4, 5, 6].map((day) => ({ day, open: '00:00', close: '23:59' }));

async function seedDropOffPoints(db: Db): Promise<void> {
  await db.place.createMany({
    data: [
      {
        name: 'Ressourcerie Calais',
        category: 'DROP_OFF',
        address: '5 quai du Commerce',
        postcode: '62100',
        city: 'Calais',
        latitude: 50.9535,
        longitude: 1.8535,
        hours: everyDay,
        acceptedItems: ['smartphone', 'laptop'],
      },
      {
        name: 'Point Dunkerque',
        category: 'DROP_OFF',
        address: '1 place Jean Bart',
        postcode: '59140',
        city: 'Dunkerque',
        latitude: 51.0343,
        longitude: 2.3768,
        hours: everyDay,
        acceptedItems: ['smartphone'],
      },
      {
        name: 'Tablets only',
        category: 'DROP_OFF',
        postcode: '62100',
        city: 'Calais',
        latitude: 50.95,
        longitude: 1.85,
        acceptedItems: ['tablet'],
      },
      {
        name: 'Closed point',
        category: 'DROP_OFF',
        postcode: '62100',
        city: 'Calais',
        latitude: 50.95,
        longitude: 1.85,
        acceptedItems: ['smartphone'],
        active: false,
      },
      {
        name: 'Not a drop-off',
        category: 'CHARGING',
        postcode: '62100',
        city: 'Calais',
        latitude: 50.95,
        longitude: 1.85,
        acceptedItems: ['smartphone'],
      },
    ],
  });
}

function pointLines(texts: string[]): string[] {
  return texts.filter((text) => text.startsWith('📍 ') && text.includes('📏')).map((text) => text.split('\n')[0] ?? '');
}

describe('donor flows on the web chat', () => {
  let t: TestRelais;
  const tr = (key: string, params?: Record<string, string | number>) => t.relais.i18n.t('en', key, params);
  beforeAll(async () => {
    t = await startTestRelais('donorweb');
    await seedDropOffPoints(t.relais.db);
  });
  afterAll(async () => {
    await t?.close();
  });

  /** One web chat visitor: each action waits until Relais answered with the expected text. */
  function visitor(session: string) {
    let n = 0;
    const history = async () =>
      (
        await t.relais.app.inject({
          method: 'GET',
          url: '/chat/api/messages',
          headers: { 'x-relais-session': session },
        })
      ).json<{ messages: Array<{ from: string; text: string }> }>().messages;
    const relaisTexts = async () => (await history()).filter((m) => m.from !== 'person').map((m) => m.text);
    return {
      async send(body: Record<string, unknown>, expectLast: string | ((text: string) => boolean)): Promise<string[]> {
        const matches = typeof expectLast === 'string' ? (text: string) => text === expectLast : expectLast;
        const before = (await relaisTexts()).length;
        n += 1;
        const posted = await t.relais.app.inject({
          method: 'POST',
          url: '/chat/api/messages',
          payload: { sessionId: session, clientMessageId: `msg${String(n).padStart(6, '0')}`, ...body },
        });
        expect(posted.statusCode).toBe(202);
        return eventually(async () => {
          const texts = await relaisTexts();
          return texts.length > before && matches(texts.at(-1) ?? '') ? texts.slice(before) : undefined;
        });
      },
      say(text: string, expectLast: string | ((text: string) => boolean)) {
        return this.send({ kind: 'text', text }, expectLast);
      },
      choose(choiceId: string, expectLast: string | ((text: string) => boolean)) {
        return this.send({ kind: 'choice', choiceId }, expectLast);
      },
    };
  }

  async function onboarded(session: string) {
    const person = visitor(session);
    await person.send({ kind: 'start' }, tr('onboarding:choose_language'));
    await person.choose('lang:en', tr('menu:title'));
    await person.choose('give', tr('pledge:donor_kind'));
    return person;
  }

  it(
    'a company pledges laptops and phones in six questions and gets a D- reference; the pledge and its contact are ' +
      'stored',
    async () => {
      const person = await onboarded('web_company_0123456789abcdef');
      await person.choose('company', tr('pledge:organisation'));
      await person.say('Atelier Martin SARL', tr('pledge:kind'));
      await person.choose('laptop', tr('pledge:quantity', { kind: tr('donor:item_laptop') }));
      await person.say('25', tr('pledge:kind_more'));
      await person.choose('smartphone', tr('pledge:quantity', { kind: tr('donor:item_smartphone') }));
      await person.say('٤٠', tr('pledge:kind_more'));
      await person.choose('done', tr('pledge:fleet_age'));
      await person.choose('4to6', tr('pledge:condition'));
      await person.choose('working', tr('donor:address'));
      await person.say('ZI des Dunes, 62100 Calais', tr('donor:window'));
      await person.choose('this_month', tr('donor:contact_name'));
      await person.say('Claire Martin', tr('donor:contact_reach'));
      await person.say('claire.martin@example.com', tr('pledge:certificate'));
      const summary = await person.choose('yes', (text) => text.startsWith('📝'));
      expect(summary.join('\n')).toContain('💻 25');
      const created = await person.choose('send', tr('donor:updates_offer'));
      const reference = /D-\d{4,}/.exec(created.join('\n'))?.[0];
      expect(reference).toBeDefined();
      await person.choose('yes', tr('menu:after_done'));
      const pledge = await t.relais.db.pledge.findUniqueOrThrow({
        where: { reference: reference ?? '' },
        include: { contact: { select: { donorUpdates: true } } },
      });
      expect(pledge).toMatchObject({
        kind: 'EQUIPMENT',
        donorKind: 'COMPANY',
        status: 'PLEDGED',
        fleetAge: '4to6',
        condition: 'working',
        postcode: '62100',
        pickupWindow: 'this_month',
        certificateRequired: true,
      });
      expect(pledge.items).toEqual([
        { kind: 'smartphone', quantity: 40 },
        { kind: 'laptop', quantity: 25 },
      ]);
      expect(pledge.donorDetails).toEqual({
        name: 'Claire Martin',
        organisation: 'Atelier Martin SARL',
        email: 'claire.martin@example.com',
        address: 'ZI des Dunes, 62100 Calais',
      });
      expect(pledge.contact?.donorUpdates).toBe(true);
      const audit = await t.relais.db.auditEvent.findFirstOrThrow({
        where: { entityId: pledge.id, action: 'pledge.created' },
      });
      expect(JSON.stringify(audit.data)).not.toContain('Claire');
    },
  );

  it(
    'a person finds the nearest drop-off points accepting ' + 'phones from a typed postcode, with distance and hours',
    async () => {
      const person = await onboarded('web_postcode_0123456789abcdef');
      await person.choose('individual', tr('donation:what'));
      await person.choose('smartphone', tr('donation:quantity', { kind: tr('donor:item_smartphone') }));
      await person.say('1', tr('donation:volume'));
      await person.choose('small_bag', tr('donation:where'));
      const found = await person.say('59760', tr('donation:what_next'));
      expect(pointLines(found)).toEqual(['📍 Point Dunkerque']);
      expect(found.join('\n')).toMatch(/📏 \d+\.\d km/);
      expect(found.join('\n')).toContain(tr('orientation:open_now'));
      const again = await person.choose('again', tr('donation:where'));
      expect(again).toEqual([tr('donation:where')]);
      const calais = await person.say('62100', tr('donation:what_next'));
      expect(pointLines(calais)).toEqual(['📍 Ressourcerie Calais']);
    },
  );

  it('a person with more than 2 m³ asks for a free pickup, recorded as a PICKUP pledge', async () => {
    const person = await onboarded('web_pickup_0123456789abcdef');
    await person.choose('individual', tr('donation:what'));
    await person.choose('laptop', tr('donation:quantity', { kind: tr('donor:item_laptop') }));
    await person.say('12', tr('donation:volume'));
    await person.choose('over_2m3', tr('donor:address'));
    await person.say('8 avenue Foch 75016 Paris', tr('donor:window'));
    await person.choose('this_week', tr('donor:contact_name'));
    await person.say('Paul', tr('donor:contact_reach'));
    const summary = await person.say('06 98 76 54 32', (text) => text.startsWith('📝'));
    expect(summary.join('\n')).toContain('8 avenue Foch 75016 Paris');
    const created = await person.choose('send', tr('donor:updates_offer'));
    const reference = /D-\d{4,}/.exec(created.join('\n'))?.[0] ?? '';
    const pledge = await t.relais.db.pledge.findUniqueOrThrow({ where: { reference } });
    expect(pledge).toMatchObject({
      kind: 'PICKUP',
      donorKind: 'INDIVIDUAL',
      postcode: '75016',
      volumeM3: 3,
      pickupWindow: 'this_week',
    });
    expect(pledge.donorDetails).toMatchObject({ name: 'Paul', phone: '06 98 76 54 32' });
  });
});

describe('donor flows on Telegram', () => {
  let bed: TelegramTestbed;
  const tr = (key: string, params?: Record<string, string | number>) => bed.relais.relais.i18n.t('en', key, params);
  beforeAll(async () => {
    bed = await startTelegramTestbed('donortg');
    await seedDropOffPoints(bed.relais.relais.db);
  });
  afterAll(async () => {
    await bed?.close();
  });

  async function giver() {
    const person = bed.user({ languageCode: 'en' });
    // donors arrive through their own deep link (https://t.me/<bot>?start=give), not the people's menu
    await person.start('give');
    const kinds = await person.press('English');
    expect(kinds.at(-1)?.text).toBe(tr('pledge:donor_kind'));
    return person;
  }

  it('a company walks the pledge with buttons and typed answers and gets its reference', async () => {
    const person = await giver();
    await person.press(tr('pledge:donor_company'));
    await person.sendText('Boulangerie Ali & Fils');
    await person.press(tr('donor:item_tablet'));
    await person.sendText('8');
    await person.press(tr('pledge:choice_done'));
    await person.press(tr('pledge:age_gt6'));
    await person.press(tr('pledge:condition_broken'));
    const invalid = await person.sendText('somewhere');
    expect(invalid[0]?.text).toBe(tr('donor:address_invalid'));
    await person.sendText('Mairie, 59760 Grande-Synthe');
    await person.press(tr('donor:window_flexible'));
    await person.sendText('Ali');
    await person.sendText('+33 3 28 00 00 00');
    const summary = await person.press(tr('common:choice_no'));
    expect(summary.at(-1)?.text).toContain('📲 8');
    const created = await person.press(tr('pledge:choice_send'));
    const reference = /D-\d{4,}/.exec(created[0]?.text ?? '')?.[0] ?? '';
    expect(created[0]?.text).toBe(tr('pledge:created', { reference }));
    await person.press(tr('common:choice_no'));
    const pledge = await bed.relais.relais.db.pledge.findUniqueOrThrow({
      where: { reference },
      include: { contact: { select: { donorUpdates: true } } },
    });
    expect(pledge).toMatchObject({
      donorKind: 'COMPANY',
      postcode: '59760',
      certificateRequired: false,
      items: [{ kind: 'tablet', quantity: 8 }],
    });
    expect(pledge.donorDetails).toMatchObject({ organisation: 'Boulangerie Ali & Fils', name: 'Ali' });
    expect(pledge.contact?.donorUpdates).toBe(false);
  });

  it(
    'a shared location lists the nearest active drop-off ' + 'points accepting the item, nearest first; a postcode too',
    async () => {
      const person = await giver();
      await person.press(tr('pledge:donor_individual'));
      await person.press(tr('donor:item_smartphone'));
      await person.sendText('3');
      const where = await person.press(tr('donation:volume_few_boxes'));
      expect(where.at(-1)?.replyButtons.some((b) => b.requestLocation)).toBe(true);
      const found = await person.shareLocation(50.9513, 1.8587);
      expect(pointLines(found.map((r) => r.text))).toEqual(['📍 Ressourcerie Calais', '📍 Point Dunkerque']);
      expect(found.find((r) => r.text.startsWith('📍 Ressourcerie'))?.text).toContain('📏 0.4 km');
      await person.press(tr('donation:choice_again'));
      const byPostcode = await person.sendText('59140');
      expect(pointLines(byPostcode.map((r) => r.text))).toEqual(['📍 Point Dunkerque']);
      const announced = await person.press(tr('donation:choice_announce'));
      const reference = /D-\d{4,}/.exec(announced[0]?.text ?? '')?.[0] ?? '';
      const pledge = await bed.relais.relais.db.pledge.findUniqueOrThrow({ where: { reference } });
      expect(pledge).toMatchObject({
        kind: 'DROP_OFF',
        donorKind: 'INDIVIDUAL',
        postcode: '59140',
        items: [{ kind: 'smartphone', quantity: 3 }],
        donorDetails: null,
      });
    },
  );

  it('more than 2 m³ on Telegram becomes a pickup request', async () => {
    const person = await giver();
    await person.press(tr('pledge:donor_individual'));
    await person.press(tr('donor:item_other'));
    await person.sendText('50');
    const pickup = await person.press(tr('donation:volume_over_2m3'));
    expect(pickup.map((r) => r.text)).toEqual([tr('donation:pickup_intro'), tr('donor:address')]);
    await person.sendText('2 rue Royale, 62100 Calais');
    await person.press(tr('donor:window_next_weeks'));
    await person.sendText('Nadia');
    await person.sendText('nadia@example.org');
    await person.press(tr('donation:choice_send'));
    const pledge = await bed.relais.relais.db.pledge.findFirstOrThrow({
      where: { kind: 'PICKUP' },
      orderBy: { createdAt: 'desc' },
    });
    expect(pledge).toMatchObject({
      postcode: '62100',
      volumeM3: 3,
      items: [{ kind: 'other', quantity: 50 }],
      donorDetails: { name: 'Nadia', email: 'nadia@example.org', address: '2 rue Royale, 62100 Calais' },
    });
  });
});
