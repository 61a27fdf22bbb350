import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { channelTransports } from '../../../src/bots/channelTransports.js';
import { inboundContentSchema } from '../../../src/core/messages/messageTypes.js';
import { FakeBotApi } from '../../support/fakeBotApi.js';
import { TelegramUpdateFactory } from '../../support/telegramUpdates.js';
import { eventually, startTestRelais, type TestRelais } from '../../support/testRelais.js';

const SECRET = 'webhook_secret-0123456789';
const TOKEN = '123456:TEST-token_for_webhook';
const BOT_ID = '123456';
let api: FakeBotApi;
let t: TestRelais;

beforeAll(async () => {
  api = await new FakeBotApi().start();
  t = await startTestRelais(
    'tgwebhook',
    {
      TELEGRAM_MODE: 'webhook',
      TELEGRAM_BOT_TOKEN: TOKEN,
      TELEGRAM_API_ROOT: api.apiRoot,
      TELEGRAM_WEBHOOK_SECRET: SECRET,
      TELEGRAM_RATE_PER_CHAT_MS: '0',
    },
    { transports: channelTransports },
  );
});
afterAll(async () => {
  await t?.close();
  await api?.close();
});

type Update = { update_id: number };
/** `secret: null` sends no secret header at all */
const post = (update: unknown, secret: string | null = SECRET) =>
  t.relais.app.inject({
    method: 'POST',
    url: '/telegram/webhook',
    payload: JSON.stringify(update),
    headers: {
      'content-type': 'application/json',
      ...(secret === null ? {} : { 'x-telegram-bot-api-secret-token': secret }),
    },
  });
const stored = async (update: Update) => {
  const row = await t.relais.db.message.findUnique({
    where: { channel_dedupeKey: { channel: 'TELEGRAM', dedupeKey: `tg:${BOT_ID}:${update.update_id}` } },
  });
  return row ? inboundContentSchema.parse(row.content) : null;
};
const inboundCount = () => t.relais.db.message.count({ where: { channel: 'TELEGRAM', direction: 'INBOUND' } });
const en = (key: string) => t.relais.i18n.t('en', key);
const ar = (key: string) => t.relais.i18n.t('ar', key);

/** A person who went through /start and chose a language (1 = fr, 2 = en, 3 = ar). */
async function onboarded(chatId: number, languageNumber: string): Promise<TelegramUpdateFactory> {
  const person = new TelegramUpdateFactory(chatId);
  expect((await post(person.command('/start'))).statusCode).toBe(200);
  expect((await post(person.text(languageNumber))).statusCode).toBe(200);
  await eventually(async () => api.textsTo(chatId).length >= 6);
  return person;
}

// What every channel does (a replay stored and answered once, malformed bodies refused with 400,
// media answered politely, 503 + Retry-After while Postgres is down) is checked on this webhook
// by the channel conformance suite (test/conformance/); here only what is Telegram's own.
describe('Telegram webhook', () => {
  it('stores /start before answering 200, then sends the privacy notice and a numbered language keyboard', async () => {
    const person = new TelegramUpdateFactory(1001, 'fr');
    const update = person.command('/start');
    const response = await post(update);
    expect(response.statusCode).toBe(200);
    expect(response.body).toBe('');
    expect(await stored(update)).toEqual({ kind: 'start' });
    await eventually(async () => api.textsTo(1001).length >= 3);
    const [welcome, notice, question] = api.messagesTo(1001).map((c) => c.body);
    // Telegram's language_code picks the language of the first messages
    expect(welcome?.text).toBe(t.relais.i18n.t('fr', 'onboarding:welcome'));
    expect(welcome?.reply_markup).toEqual({ remove_keyboard: true });
    expect(notice?.text).toBe(t.relais.i18n.t('fr', 'privacy:notice_short', { messageDays: 30, requestDays: 180 }));
    const keyboard = z
      .object({ inline_keyboard: z.array(z.array(z.object({ text: z.string(), callback_data: z.string() }))) })
      .parse(question?.reply_markup).inline_keyboard;
    expect(keyboard).toHaveLength(8);
    expect(keyboard[0]).toEqual([{ text: '1. Français', callback_data: 'lang:fr' }]);
    expect(keyboard[2]).toEqual([{ text: '3. العربية', callback_data: 'lang:ar' }]);
  });

  it('a pressed language button is answered at once and the menu comes in that language, right to left', async () => {
    const person = new TelegramUpdateFactory(1002);
    await post(person.command('/start'));
    const press = person.callback('lang:ar');
    expect((await post(press)).statusCode).toBe(200);
    expect(await stored(press)).toEqual({ kind: 'choice', choiceId: 'lang:ar' });
    await eventually(async () =>
      api.callsOf('answerCallbackQuery').some((c) => c.body.callback_query_id === press.callback_query.id),
    );
    await eventually(async () => api.textsTo(1002).includes(ar('menu:title')));
    const menu = api.messagesTo(1002).find((c) => c.body.text === ar('menu:title'));
    expect(menu?.body.reply_markup).toMatchObject({ inline_keyboard: expect.any(Array) });
  });

  it('maps /menu@bot and /start with a deep-link payload to what the engine understands', async () => {
    const person = await onboarded(1003, '2');
    const menu = person.command('/menu@relais_test_bot');
    await post(menu);
    expect(await stored(menu)).toEqual({ kind: 'text', text: 'menu' });
    const deepLink = person.command('/start assoc_42');
    await post(deepLink);
    expect(await stored(deepLink)).toEqual({ kind: 'start', payload: 'assoc_42' });
    await eventually(async () => api.textsTo(1003).filter((x) => x === en('menu:title')).length >= 3);
  });

  it('stores a shared location as coordinates and a shared contact without its phone number', async () => {
    const person = await onboarded(1004, '2');
    const location = person.location(50.9513, 1.8587);
    await post(location);
    expect(await stored(location)).toEqual({ kind: 'location', latitude: 50.9513, longitude: 1.8587 });
    await eventually(async () => api.textsTo(1004).includes(en('common:location_unexpected')));
    const contact = person.contact('+33 6 12 34 56 78');
    expect((await post(contact)).statusCode).toBe(200);
    expect(await stored(contact)).toEqual({ kind: 'contact', hasPhone: true });
    const everything = JSON.stringify(
      await t.relais.db.message.findMany({ select: { content: true, lastError: true } }),
    );
    expect(everything).not.toContain('12 34 56 78');
    expect(t.logs.text).not.toContain('12 34 56 78');
  });

  it('acknowledges edits, blocks, group messages, channel posts and polls with 200 and stores nothing', async () => {
    const person = new TelegramUpdateFactory(1006);
    const before = await inboundCount();
    for (const update of [
      person.edited('hello'),
      person.blockedBot(),
      person.groupText('/start'),
      person.channelPost('news'),
      person.poll(),
    ]) {
      expect((await post(update)).statusCode).toBe(200);
    }
    expect(await inboundCount()).toBe(before);
    expect(
      await t.relais.db.channelIdentity.count({
        where: { platformIdHash: t.relais.secrets.hash('TELEGRAM:-1001234567890') },
      }),
    ).toBe(0);
    await new Promise((r) => setTimeout(r, 300));
    expect(api.messagesTo(-1001234567890)).toEqual([]);
    expect(api.messagesTo(1006)).toEqual([]);
  });

  it('refuses a missing or wrong secret with 401 and stores nothing', async () => {
    const person = new TelegramUpdateFactory(1007);
    const before = await inboundCount();
    for (const secret of [null, '', 'wrong', SECRET.slice(0, -1), `${SECRET}x`, SECRET.toUpperCase()]) {
      const response = await post(person.command('/start'), secret);
      expect(response.statusCode).toBe(401);
      expect(response.json()).toMatchObject({ error: 'RELAIS_UNAUTHORIZED' });
    }
    // even a malformed body gets 401 first: an outsider learns nothing about what we accept
    expect((await post({ nonsense: true }, 'wrong')).statusCode).toBe(401);
    expect(await inboundCount()).toBe(before);
    expect(t.logs.text).not.toContain(SECRET);
  });
});
