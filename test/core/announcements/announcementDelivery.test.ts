import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTelegramTransport } from '../../../src/bots/telegram/telegramTransport.js';
import {
  createAnnouncement,
  readAnnouncement,
  type AnnouncementActor,
} from '../../../src/core/announcements/announcementService.js';
import { renderAnnouncement } from '../../../src/core/announcements/announcementText.js';
import type { AnnouncementInput } from '../../../src/core/announcements/announcementTemplates.js';
import { eraseContact } from '../../../src/core/contacts/contactService.js';
import { announcingAssociation } from '../../support/announcingAssociation.js';
import { FakeBotApi } from '../../support/fakeBotApi.js';
import { FakeWhatsApp } from '../../support/fakeWhatsAppClient.js';
import { TelegramUpdateFactory } from '../../support/telegramUpdates.js';
import { eventually, startTestRelais, type TestRelais } from '../../support/testRelais.js';
import { WebChatVisitor } from '../../support/webChatVisitor.js';
import { fakeWhatsAppTransports, WHATSAPP_TEST_ENV, WhatsAppPerson } from '../../support/whatsappRelais.js';

const SECRET = 'webhook_secret-announce-0123';
const TOKEN = '123456:TEST-token_for_announce';
let api: FakeBotApi;
let world: FakeWhatsApp;
let t: TestRelais;
let associationId: string;
let otherAssociationId: string;
let placeId: string;
let coordinator: AnnouncementActor;

const post = (update: unknown) =>
  t.relais.app.inject({
    method: 'POST',
    url: '/telegram/webhook',
    payload: JSON.stringify(update),
    headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': SECRET },
  });

const contactOfTelegram = async (chatId: number) =>
  (
    await t.relais.db.channelIdentity.findUniqueOrThrow({
      where: {
        channel_platformIdHash: { channel: 'TELEGRAM', platformIdHash: t.relais.secrets.hash(`TELEGRAM:${chatId}`) },
      },
    })
  ).contactId;

/** /start, then the language button: the person is on the menu, notice accepted. */
async function telegramPerson(
  chatId: number,
  language: string,
  association = associationId,
): Promise<TelegramUpdateFactory> {
  const person = new TelegramUpdateFactory(chatId);
  expect((await post(person.command('/start'))).statusCode).toBe(200);
  expect((await post(person.callback(`lang:${language}`))).statusCode).toBe(200);
  await eventually(
    async () =>
      (await t.relais.db.contact.findFirst({
        where: { id: await contactOfTelegram(chatId), consentAt: { not: null } },
      })) !== null,
  );
  await t.relais.db.contact.update({
    where: { id: await contactOfTelegram(chatId) },
    data: { associationId: association },
  });
  return person;
}

async function announce(input: AnnouncementInput) {
  const created = await t.relais.db.$transaction((tx) =>
    createAnnouncement(tx, { config: t.config }, input, coordinator),
  );
  await t.relais.dispatcher.dispatchJobs(created.jobIds);
  return created;
}

const settled = (id: string) =>
  eventually(async () => {
    const view = await readAnnouncement(t.relais.db, id);
    return view && view.status === 'DONE' ? view : undefined;
  }, 15_000);

const distribution: AnnouncementInput = {
  template: 'distribution',
  params: { placeId: '', date: '2026-09-26', time: '10:00', note: 'Salle B' },
  audience: { scope: 'association' },
};
const expected = (language: string, input = distribution) =>
  renderAnnouncement(
    t.relais.i18n,
    {
      template: input.template ?? null,
      texts: null,
      params: { ...input.params, placeId },
      place: { name: 'Auberge des Migrants', address: '1 rue de la Paix', postcode: '62100', city: 'Calais' },
    },
    language,
  )?.text;

const whatsappJid = '33612345678@c.us';
const web = () => new WebChatVisitor(t.relais);
let visitor: WebChatVisitor;
let whatsapp: WhatsAppPerson;

beforeAll(async () => {
  api = await new FakeBotApi().start();
  world = new FakeWhatsApp();
  t = await startTestRelais(
    'announce_delivery',
    {
      ...WHATSAPP_TEST_ENV,
      TELEGRAM_MODE: 'webhook',
      TELEGRAM_BOT_TOKEN: TOKEN,
      TELEGRAM_API_ROOT: api.apiRoot,
      TELEGRAM_WEBHOOK_SECRET: SECRET,
      TELEGRAM_RATE_PER_CHAT_MS: '0',
      ANNOUNCEMENT_FEED_INTERVAL_MS: '100',
    },
    { transports: (core) => [createTelegramTransport(core.config, core.log), ...fakeWhatsAppTransports(world)(core)] },
  );
  await eventually(async () => world.current);
  ({ associationId, placeId, coordinator } = await announcingAssociation(t.relais.db, 'UCOORD'));
  const other = await t.relais.db.association.create({ data: { slug: 'autre', name: 'Autre' } });
  otherAssociationId = other.id;
  distribution.params = { ...distribution.params, placeId };

  // four languages on three channels, all people of the association
  await telegramPerson(3001, 'ar');
  await telegramPerson(3002, 'fa');
  whatsapp = new WhatsAppPerson(world, whatsappJid);
  whatsapp.say('salam');
  await whatsapp.replies(3);
  whatsapp.say('6'); // ti, the sixth language of the list
  await eventually(async () => t.relais.db.contact.findFirst({ where: { language: 'ti', consentAt: { not: null } } }));
  await t.relais.db.contact.updateMany({ where: { language: 'ti' }, data: { associationId } });
  visitor = web();
  await visitor.onboard('fr');
  await t.relais.db.contact.update({ where: { id: await visitor.contactId() }, data: { associationId } });
}, 60_000);

afterAll(async () => {
  await t?.close();
  await api?.close();
});

describe('announcements', () => {
  it(
    'a distribution to an association’s people in four languages reaches each person once, in their language, on ' +
      'Telegram, WhatsApp and the web chat; nobody else',
    async () => {
      // people who must get nothing: another association's, opted out, paused, erased, never consented
      await telegramPerson(3010, 'ar', otherAssociationId);
      const optedOut = await telegramPerson(3011, 'en');
      expect((await post(optedOut.text('no announcements'))).statusCode).toBe(200);
      await eventually(async () => api.textsTo(3011).includes(t.relais.i18n.t('en', 'announcements:opted_out')));
      const paused = await telegramPerson(3012, 'fa');
      expect((await post(paused.text('stop'))).statusCode).toBe(200);
      await telegramPerson(3013, 'ar');
      const erasedId = await contactOfTelegram(3013);
      await t.relais.db.$transaction((tx) => eraseContact(tx, erasedId, null));
      const neverConsented = new TelegramUpdateFactory(3014);
      expect((await post(neverConsented.command('/start'))).statusCode).toBe(200);
      const before = new Map([3010, 3011, 3012, 3013, 3014].map((chat) => [chat, api.textsTo(chat).length]));

      const created = await announce(distribution);
      expect(created.preview.byLanguage).toEqual({ ar: 1, fa: 1, ti: 1, fr: 1 });
      expect(created.preview.optedOut).toBe(1);
      const view = await settled(created.id);

      const arText = expected('ar');
      expect(arText).toContain('Auberge des Migrants');
      expect(arText).toContain('Salle B');
      expect(api.textsTo(3001)).toEqual(expect.arrayContaining([arText]));
      expect(api.textsTo(3001).filter((x) => x === arText)).toHaveLength(1);
      expect(api.textsTo(3002).filter((x) => x === expected('fa'))).toHaveLength(1);
      expect(world.textsTo(whatsappJid).filter((x) => x === expected('ti'))).toHaveLength(1);
      const history = await visitor.history();
      expect(history.filter((m) => m.from === 'relais' && m.text === expected('fr'))).toHaveLength(1);
      // the French text reads "le samedi 26 septembre à 10:00"; Arabic has its own month name
      expect(expected('fr')).toContain('samedi 26 septembre');
      expect(arText).toContain('سبتمبر');
      for (const [chat, count] of before)
        expect(
          api
            .textsTo(chat)
            .slice(count)
            .filter((x) => x.startsWith('📢')),
        ).toEqual([]);
      expect(view.counts).toMatchObject({ recipients: 4, sent: 4, failed: 0, queued: 0, optedOut: 1, leftOut: 0 });
      const audit = await t.relais.db.auditEvent.findFirst({
        where: { action: 'announcement.created', entityId: created.id },
      });
      expect(audit?.actorId).toBe(coordinator.type === 'STAFF' ? coordinator.id : null);
    },
  );

  it(
    'free text without a text in someone’s language leaves them ' +
      'out and says so; the others read their own language',
    async () => {
      const texts = {
        fr: 'Le bureau ferme à 16 h demain.',
        ar: 'المكتب يغلق غداً الساعة ٤ مساءً.',
        ti: 'ቤት ጽሕፈት ጽባሕ ሰዓት 4 ይዕጾ።',
      };
      const created = await announce({
        texts,
        audience: { scope: 'association', languages: ['fr', 'ar', 'ti', 'fa'] },
      });
      expect(created.preview.leftOutNoText).toEqual({ fa: 1 });
      const view = await settled(created.id);
      expect(view.counts).toMatchObject({ recipients: 3, sent: 3, leftOut: 1, leftOutNoText: { fa: 1 } });
      expect(api.textsTo(3001).some((x) => x.includes(texts.ar))).toBe(true);
      expect(world.textsTo(whatsappJid).some((x) => x.includes(texts.ti))).toBe(true);
      expect(api.textsTo(3002).some((x) => Object.values(texts).some((text) => x.includes(text)))).toBe(false);
    },
  );

  it('a scheduled announcement waits for its time, then goes', async () => {
    const sendAt = new Date(Date.now() + 2500);
    const created = await announce({
      ...distribution,
      template: 'recharge_day',
      audience: { scope: 'association', languages: ['fa'] },
      sendAt: sendAt.toISOString(),
    });
    const count = () =>
      api.textsTo(3002).filter((x) => x === expected('fa', { ...distribution, template: 'recharge_day' })).length;
    await new Promise((r) => setTimeout(r, 1500));
    expect((await readAnnouncement(t.relais.db, created.id))?.status).toBe('SCHEDULED');
    expect(count()).toBe(0);
    await settled(created.id);
    expect(count()).toBe(1);
    const firstSent = await t.relais.db.message.findFirstOrThrow({
      where: { announcementId: created.id },
      select: { sentAt: true },
    });
    expect(firstSent.sentAt?.getTime()).toBeGreaterThanOrEqual(sendAt.getTime());
  });

  it('"My data" switches announcements back on, and answering an announcement lands in the menu', async () => {
    const person = new TelegramUpdateFactory(3011);
    expect((await post(person.text('menu'))).statusCode).toBe(200);
    await eventually(async () => api.textsTo(3011).at(-1) === t.relais.i18n.t('en', 'menu:title'));
    expect((await post(person.callback('privacy'))).statusCode).toBe(200);
    await eventually(async () => api.textsTo(3011).at(-1) === t.relais.i18n.t('en', 'privacy:what_next'));
    expect((await post(person.callback('announcements'))).statusCode).toBe(200);
    await eventually(async () => api.textsTo(3011).at(-1) === t.relais.i18n.t('en', 'announcements:settings_prompt'));
    expect((await post(person.callback('on'))).statusCode).toBe(200);
    await eventually(async () => api.textsTo(3011).includes(t.relais.i18n.t('en', 'announcements:opted_in')));
    const contact = await t.relais.db.contact.findUniqueOrThrow({ where: { id: await contactOfTelegram(3011) } });
    expect(contact.announcementsOff).toBe(false);

    const created = await announce({
      ...distribution,
      template: 'new_place',
      audience: { scope: 'association', languages: ['en'] },
    });
    await settled(created.id);
    expect(api.textsTo(3011).at(-1)).toBe(expected('en', { ...distribution, template: 'new_place' }));
    expect((await post(person.text('hello'))).statusCode).toBe(200);
    await eventually(async () => api.textsTo(3011).at(-1) === t.relais.i18n.t('en', 'menu:title'));
  });
});
