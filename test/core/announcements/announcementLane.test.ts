import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTelegramTransport } from '../../../src/bots/telegram/telegramTransport.js';
import {
  cancelAnnouncement,
  createAnnouncement,
  readAnnouncement,
  type AnnouncementActor,
} from '../../../src/core/announcements/announcementService.js';
import type { AnnouncementInput } from '../../../src/core/announcements/announcementTemplates.js';
import { seedTelegramPeople } from '../../support/announcementAudience.js';
import { FakeBotApi } from '../../support/fakeBotApi.js';
import { TelegramUpdateFactory } from '../../support/telegramUpdates.js';
import { eventually, startTestRelais, type TestRelais } from '../../support/testRelais.js';

const SECRET = 'webhook_secret-lane-0123456';
const TOKEN = '123456:TEST-token_for_lane';
/** a slow channel, so that the order of sends shows which lane goes first */
const PER_SEC = 5;
const RECIPIENTS = 12;
let api: FakeBotApi;
let t: TestRelais;
let actor: AnnouncementActor;
let associationId: string;

const post = (update: unknown) =>
  t.relais.app.inject({
    method: 'POST',
    url: '/telegram/webhook',
    payload: JSON.stringify(update),
    headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': SECRET },
  });

async function announce(input: AnnouncementInput) {
  const created = await t.relais.db.$transaction((tx) => createAnnouncement(tx, { config: t.config }, input, actor));
  await t.relais.dispatcher.dispatchJobs(created.jobIds);
  return created;
}

const sendsTo = (chats: Set<string>) =>
  api.callsOf('sendMessage').filter((c) => c.status === 200 && chats.has(String(c.body.chat_id)));

beforeAll(async () => {
  api = await new FakeBotApi().start();
  t = await startTestRelais(
    'announce_lane',
    {
      TELEGRAM_MODE: 'webhook',
      TELEGRAM_BOT_TOKEN: TOKEN,
      TELEGRAM_API_ROOT: api.apiRoot,
      TELEGRAM_WEBHOOK_SECRET: SECRET,
      TELEGRAM_RATE_GLOBAL_PER_SEC: String(PER_SEC),
      TELEGRAM_RATE_PER_CHAT_MS: '0',
      ANNOUNCEMENT_FEED_INTERVAL_MS: '100',
    },
    { transports: (core) => [createTelegramTransport(core.config, core.log)] },
  );
  const association = await t.relais.db.association.create({ data: { slug: 'lane', name: 'Lane' } });
  associationId = association.id;
  const staff = await t.relais.db.staffMember.create({
    data: { slackUserId: 'ULANE', associationId, role: 'COORDINATOR' },
  });
  actor = { type: 'STAFF', id: staff.id, role: 'COORDINATOR', associationId };
}, 30_000);

afterAll(async () => {
  await t?.close();
  await api?.close();
});

describe('the announcement lane', () => {
  it('a person who writes during an announcement gets the reply before the queued announcement messages, and the ' +
    'overall pace holds', async () => {
    const writer = new TelegramUpdateFactory(7000);
    expect((await post(writer.command('/start'))).statusCode).toBe(200);
    expect((await post(writer.callback('lang:en'))).statusCode).toBe(200);
    await eventually(async () => api.textsTo(7000).includes(t.relais.i18n.t('en', 'menu:title')));
    await seedTelegramPeople(t.relais, { count: RECIPIENTS, firstChatId: 7100, language: 'ar', associationId });
    const chats = new Set(Array.from({ length: RECIPIENTS }, (_, i) => String(7100 + i)));

    const created = await announce({
      template: 'closure',
      params: {
        placeId: (await t.relais.db.place.create({ data: { name: 'Accueil', category: 'ASSOCIATION', associationId } }))
          .id,
        date: '2026-12-24',
      },
      audience: { scope: 'association', languages: ['ar'] },
    });
    await eventually(async () => sendsTo(chats).length >= 2);
    const wroteAt = Date.now();
    expect((await post(writer.text('menu'))).statusCode).toBe(200);
    const reply = await eventually(async () =>
      api.callsOf('sendMessage').find((c) => String(c.body.chat_id) === '7000' && c.arrivedAt >= wroteAt),
    );
    // without the lane the reply would wait behind the ~10 announcement messages already queued (2 s at 5/s)
    expect(reply.arrivedAt - wroteAt).toBeLessThan(1500);
    await eventually(async () => (await readAnnouncement(t.relais.db, created.id))?.status === 'DONE', 15_000);
    const after = sendsTo(chats).filter((c) => c.arrivedAt > reply.arrivedAt);
    expect(after.length).toBeGreaterThanOrEqual(5);
    // the channel's pace counts both lanes: never more than PER_SEC sends in any second
    const times = api
      .callsOf('sendMessage')
      .map((c) => c.arrivedAt)
      .sort((a, b) => a - b);
    for (let i = PER_SEC; i < times.length; i++)
      expect((times[i] ?? 0) - (times[i - PER_SEC] ?? 0)).toBeGreaterThanOrEqual(950);
    expect(sendsTo(chats)).toHaveLength(RECIPIENTS);
  }, 30_000);

  it('Cancel stops the rest: what is not yet sent is not sent, and the counts say so', async () => {
    await seedTelegramPeople(t.relais, { count: RECIPIENTS, firstChatId: 7300, language: 'fa', associationId });
    const chats = new Set(Array.from({ length: RECIPIENTS }, (_, i) => String(7300 + i)));
    const created = await announce({
      texts: { fa: 'فردا دفتر بسته است.' },
      audience: { scope: 'association', languages: ['fa'] },
    });
    await eventually(async () => sendsTo(chats).length >= 2);
    const cancelled = await t.relais.db.$transaction((tx) => cancelAnnouncement(tx, created.id, actor));
    await t.relais.dispatcher.dispatchJobs(cancelled.jobIds);
    const sentAtCancel = sendsTo(chats).length;
    await new Promise((r) => setTimeout(r, 1200));
    const sent = sendsTo(chats).length;
    // a send already under way still leaves (at most the one slot booked ahead)
    expect(sent - sentAtCancel).toBeLessThanOrEqual(1);
    expect(sent).toBeLessThan(RECIPIENTS);
    const view = await readAnnouncement(t.relais.db, created.id);
    expect(view?.status).toBe('CANCELLED');
    expect(view?.counts.sent).toBe(sent);
    expect((view?.counts.sent ?? 0) + (view?.counts.cancelled ?? 0)).toBe(RECIPIENTS);
    expect(
      await t.relais.db.auditEvent.count({ where: { action: 'announcement.cancelled', entityId: created.id } }),
    ).toBe(1);
  }, 30_000);
});
