import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isOpenAt, placeHoursSchema } from '../../../src/core/places/placeHours.js';
import { sendStaffReply } from '../../../src/core/requests/staffReply.js';
import { startTelegramTestbed, type TelegramTestbed } from '../../support/telegramEmulator.js';
import { inDigits, TelegramWalk } from '../../support/telegramWalk.js';

let bed: TelegramTestbed;
let walk: TelegramWalk;
let associationId: string;

// Calais station; the places below are around it
const here = { latitude: 50.953, longitude: 1.853 };
const everyDay = [0, 1, 2, 3, 4, 5, 6].map((day) => ({ day, open: '00:00', close: '23:59' }));
const weekdays = [1, 2, 3, 4, 5].flatMap((day) => [
  { day, open: '09:00', close: '12:00' },
  { day, open: '14:00', close: '17:00' },
]);

beforeAll(async () => {
  // one person presses many buttons in a row here: above the flood limit of real use
  bed = await startTelegramTestbed('tg_beneficiary', {
    env: { FLOOD_MAX_PER_MINUTE: '200', RECHARGE_QUOTA_COUNT: '1', RECHARGE_QUOTA_DAYS: '30' },
  });
  walk = new TelegramWalk(bed);
  const { db } = bed.relais.relais;
  // before anyone writes, so the flows' cached association list has it
  associationId = (await db.association.create({ data: { slug: 'utopia', name: 'Utopia 56', city: 'Calais' } })).id;
  await db.place.createMany({
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
        hours: everyDay,
      },
      {
        name: 'Soup kitchen',
        category: 'DISTRIBUTION',
        address: '12 rue de Moscou',
        city: 'Calais',
        postcode: '62100',
        latitude: 50.95,
        longitude: 1.85,
        hours: weekdays,
      },
    ],
  });
});
afterAll(async () => {
  await bed?.close();
});

describe('beneficiary flows on the real bot (long polling against telegram-test-api)', () => {
  it(
    'asks for a phone in Arabic from /start to its reference: typed Arabic-Indic digit, the association, a shared ' +
      'location',
    async () => {
      const t = (key: string, params?: Record<string, string | number>) => walk.t('ar', key, params);
      const amina = bed.user({ languageCode: 'ar' });
      await walk.onboard(amina, 'ar');

      expect(walk.texts(await walk.openMenu(amina, 'ar', 'menu:phone'))).toEqual([t('phone:for_whom')]);
      expect(walk.texts(await amina.press(t('phone:for_family')))).toEqual([t('phone:situation')]);
      // the third situation ("stolen"), typed in Arabic-Indic digits
      expect(walk.texts(await amina.sendText('٣'))).toEqual([t('phone:urgency')]);
      const [association] = await amina.press(1);
      expect(association?.text).toBe(t('phone:association'));
      expect(association?.buttons).toEqual(['1. Utopia 56', `2. ${t('phone:association_none')}`]);

      const [stay] = await amina.press('Utopia 56');
      expect(stay?.text).toBe(t('phone:stay'));
      expect(stay?.buttons).toEqual([]);
      expect(stay?.replyButtons).toEqual([
        { text: t('channel:share_location'), requestLocation: true },
        { text: t('common:choice_skip'), requestLocation: false },
      ]);

      const [summary] = await amina.shareLocation(50.951283, 1.858686);
      expect(summary?.text).toBe(
        t('phone:summary', {
          forWhom: t('phone:for_family'),
          situation: t('phone:situation_stolen'),
          urgency: t('phone:urgency_high'),
          association: 'Utopia 56',
          stay: t('phone:stay_location'),
        }),
      );

      const done = await amina.press(t('phone:choice_send'));
      const contactId = await walk.contactId(amina);
      const request = await bed.relais.relais.db.request.findFirstOrThrow({ where: { contactId } });
      expect(request).toMatchObject({
        kind: 'PHONE',
        status: 'OPEN',
        urgency: 'HIGH',
        associationId,
        language: 'ar',
        flaggedReason: null,
      });
      expect(request.reference).toMatch(/^P-\d{4,}$/);
      // the location is kept rounded (~100 m), never to the metre
      expect(request.details).toEqual({
        forWhom: 'family',
        situation: 'stolen',
        stay: { latitude: 50.951, longitude: 1.859 },
      });
      expect(walk.texts(done)).toEqual([
        t('phone:created', { reference: request.reference }),
        t('phone:next_step_association', { association: 'Utopia 56' }),
        t('menu:after_done'),
      ]);
      expect((await bed.relais.relais.db.contact.findUniqueOrThrow({ where: { id: contactId } })).associationId).toBe(
        associationId,
      );
    },
  );

  it(
    'asks for credit twice in Persian: the second request, over the quota, is recorded and flagged and the person ' +
      'is told kindly',
    async () => {
      const t = (key: string, params?: Record<string, string | number>) => walk.t('fa', key, params);
      const farid = bed.user({ languageCode: 'fa' });
      await walk.onboard(farid, 'fa');

      expect(walk.texts(await walk.openMenu(farid, 'fa', 'menu:recharge'))).toEqual([t('recharge:operator')]);
      expect(walk.texts(await farid.press('Lycamobile'))).toEqual([t('recharge:offer')]);
      const [summary] = await farid.sendText(inDigits('2', 'persian'));
      expect(summary?.text).toBe(t('recharge:summary', { operator: 'Lycamobile', offer: t('recharge:offer_eur10') }));
      const first = await farid.press(t('recharge:choice_send'));

      await walk.openMenu(farid, 'fa', 'menu:recharge');
      await farid.press('Orange');
      await farid.press(t('recharge:offer_data4gb'));
      const second = await farid.press(1);

      const requests = await bed.relais.relais.db.request.findMany({
        where: { contactId: await walk.contactId(farid), kind: 'RECHARGE' },
        orderBy: { number: 'asc' },
      });
      expect(requests.map((r) => [r.details, r.flaggedReason, r.status])).toEqual([
        [{ operator: 'lycamobile', offer: 'eur10' }, null, 'OPEN'],
        [{ operator: 'orange', offer: 'data4gb' }, 'over_quota', 'OPEN'],
      ]);
      expect(walk.texts(first)).toEqual([
        t('recharge:created', { reference: requests[0]?.reference ?? '' }),
        t('recharge:next_step'),
        t('menu:after_done'),
      ]);
      expect(walk.texts(second)).toEqual([
        t('recharge:created', { reference: requests[1]?.reference ?? '' }),
        t('recharge:over_quota', { count: 1, days: 30 }),
        t('menu:after_done'),
      ]);
    },
  );

  it(
    'helps with a phone in English: a topic, its self-help ' + 'answer, then a help session booked as a HELP request',
    async () => {
      const t = (key: string, params?: Record<string, string | number>) => walk.t('en', key, params);
      const sam = bed.user({ languageCode: 'en' });
      await walk.onboard(sam, 'en');

      const [topics] = await walk.openMenu(sam, 'en', 'menu:help');
      expect(topics?.text).toBe(t('phoneHelp:topic'));
      expect(topics?.buttons).toHaveLength(6);
      expect(walk.texts(await sam.press(t('phoneHelp:topic_passwords')))).toEqual([
        t('phoneHelp:answer_passwords'),
        t('phoneHelp:did_it_help'),
      ]);
      expect(walk.texts(await sam.press(t('phoneHelp:choice_book')))).toEqual([t('phoneHelp:book')]);
      const booked = await sam.press(t('common:choice_yes'));

      const request = await bed.relais.relais.db.request.findFirstOrThrow({
        where: { contactId: await walk.contactId(sam) },
      });
      expect(request).toMatchObject({ kind: 'HELP', status: 'OPEN', details: { topic: 'passwords' } });
      expect(request.reference).toMatch(/^H-\d{4,}$/);
      expect(walk.texts(booked)).toEqual([
        t('phoneHelp:booked', { reference: request.reference }),
        t('menu:after_done'),
      ]);
    },
  );

  it(
    'finds places in English: the list of a category with weekly hours, then the nearest ones to a shared location, ' +
      'nearest first',
    async () => {
      const t = (key: string, params?: Record<string, string | number>) => walk.t('en', key, params);
      const lina = bed.user({ languageCode: 'en' });
      await walk.onboard(lina, 'en');

      const [categories] = await walk.openMenu(lina, 'en', 'menu:orientation');
      expect(categories?.text).toBe(t('orientation:category'));
      const [where] = await lina.press(t('orientation:category_DISTRIBUTION'));
      expect(where?.text).toBe(t('orientation:where'));
      expect(where?.replyButtons.map((b) => b.requestLocation)).toEqual([true, false]);

      const listed = await lina.pressReplyButton(t('orientation:choice_list'));
      const status = isOpenAt(placeHoursSchema.parse(weekdays), new Date())
        ? t('orientation:open_now')
        : t('orientation:closed_now');
      const hours = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday']
        .map((day) => `${day}: 09:00–12:00, 14:00–17:00`)
        .join('\n');
      expect(walk.texts(listed)).toEqual([
        t('orientation:place', { name: 'Soup kitchen', address: '12 rue de Moscou, 62100 Calais', status, hours }),
        t('orientation:what_next'),
      ]);

      await lina.press(t('orientation:choice_another'));
      await lina.press(t('orientation:category_CHARGING'));
      const nearest = await lina.shareLocation(here.latitude, here.longitude);
      expect(nearest.at(-1)?.text).toBe(t('orientation:what_next'));
      const places = nearest.slice(0, -1).map((reply) => reply.text.split('\n'));
      expect(places.map((lines) => [lines[0], lines[2]])).toEqual([
        ['📍 Near (station)', '📏 0.1 km'],
        ['📍 Middle (beach)', '📏 2.3 km'],
        ['📍 Far (Dunkirk)', '📏 37.8 km'],
      ]);
      const allWeek = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday']
        .map((day) => `${day}: 00:00–23:59`)
        .join('\n');
      const openNow = isOpenAt(placeHoursSchema.parse(everyDay), new Date())
        ? t('orientation:open_now')
        : t('orientation:closed_now');
      expect(nearest[0]?.text).toBe(
        t('orientation:place_near', {
          name: 'Near (station)',
          address: '62100 Calais',
          km: '0.1',
          status: openNow,
          hours: allWeek,
        }),
      );

      expect(walk.texts(await lina.press(t('common:choice_menu')))).toEqual([t('menu:title')]);
    },
  );

  it(
    "talks to a volunteer in Kurdish Sorani: a CONTACT request, later words attached to it, and a volunteer's reply " +
      'arriving in the chat',
    async () => {
      const t = (key: string, params?: Record<string, string | number>) => walk.t('ckb', key, params);
      const { db, dispatcher, i18n } = bed.relais.relais;
      const karwan = bed.user({ languageCode: 'ckb' });
      await walk.onboard(karwan, 'ckb');

      expect(walk.texts(await walk.openMenu(karwan, 'ckb', 'menu:volunteer'))).toEqual([t('volunteer:intro')]);
      const first = await karwan.sendText('سڵاو، پێویستم بە پارێزەرە');
      const request = await db.request.findFirstOrThrow({ where: { contactId: await walk.contactId(karwan) } });
      expect(request).toMatchObject({
        kind: 'CONTACT',
        status: 'OPEN',
        associationId: null,
        details: { origin: 'menu' },
      });
      expect(request.reference).toMatch(/^C-\d{4,}$/);
      expect(walk.texts(first)).toEqual([
        t('volunteer:sent_first', { reference: request.reference }),
        t('volunteer:chat'),
      ]);
      // a bare number in the chat is words for the volunteer, not a button
      expect(walk.texts(await karwan.sendText('٢'))).toEqual([t('volunteer:sent')]);
      expect(walk.texts(await karwan.press(t('volunteer:choice_end')))).toEqual([
        t('volunteer:ended'),
        t('menu:after_done'),
      ]);

      // what the Slack app does when a volunteer answers in the request's thread
      const reply = await db.$transaction((tx) =>
        sendStaffReply(tx, i18n, { requestId: request.id, staffId: 'staff-1', text: 'Come on Tuesday at 2 pm.' }),
      );
      if (reply) await dispatcher.dispatchMessages([reply]);
      const relayed = await karwan.waitForReply(
        (r) => r.text === `${t('volunteer:staff_header', { reference: request.reference })}\nCome on Tuesday at 2 pm.`,
      );
      // the chat of that request is reopened, so the answer reaches the volunteer
      await karwan.waitForReply((r) => r.messageId > relayed.messageId && r.text === t('volunteer:chat'));
      expect(walk.texts(await karwan.sendText('باشە، سوپاس'))).toEqual([t('volunteer:sent')]);

      const linked = await db.message.findMany({
        where: { requestId: request.id, direction: 'INBOUND' },
        orderBy: { seq: 'asc' },
      });
      expect(linked.map((m) => m.content)).toEqual([
        { kind: 'text', text: 'سڵاو، پێویستم بە پارێزەرە' },
        { kind: 'text', text: '٢' },
        { kind: 'text', text: 'باشە، سوپاس' },
      ]);
      expect(
        await db.outboxJob.count({
          where: { name: 'request.message', data: { path: ['requestId'], equals: request.id } },
        }),
      ).toBe(3);
    },
  );
});
