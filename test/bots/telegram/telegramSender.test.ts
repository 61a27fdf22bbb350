import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { z } from 'zod';
import { channelTransports } from '../../../src/bots/channelTransports.js';
import { createTelegramTransport } from '../../../src/bots/telegram/telegramTransport.js';
import { decodeCallbackData } from '../../../src/bots/telegram/telegramKeyboard.js';
import { loadConfig } from '../../../src/core/config.js';
import { PlatformRateLimited, PlatformRejected, PlatformUnreachable } from '../../../src/core/errors.js';
import type { ChannelSender } from '../../../src/core/outbound/channelSender.js';
import { FakeBotApi } from '../../support/fakeBotApi.js';
import { eventually, startTestRelais, type TestRelais } from '../../support/testRelais.js';

const TOKEN = '123456:TEST-token_for_sender';
let api: FakeBotApi;

const telegramEnv = (apiRoot: string) => ({
  TELEGRAM_MODE: 'webhook',
  TELEGRAM_BOT_TOKEN: TOKEN,
  TELEGRAM_API_ROOT: apiRoot,
  TELEGRAM_WEBHOOK_SECRET: 'secret_for_sender_tests',
  TELEGRAM_RATE_PER_CHAT_MS: '0',
});
function senderFor(apiRoot: string): ChannelSender {
  const sender = createTelegramTransport(loadConfig(telegramEnv(apiRoot)), pino({ level: 'silent' })).sender;
  if (!sender) throw new Error('the Telegram transport has no sender');
  return sender;
}

const inlineKeyboardSchema = z.object({
  inline_keyboard: z.array(z.array(z.object({ text: z.string(), callback_data: z.string() }))),
});
const replyKeyboardSchema = z.object({
  keyboard: z.array(z.array(z.object({ text: z.string(), request_location: z.boolean().optional() }))),
  one_time_keyboard: z.boolean().optional(),
});
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

beforeAll(async () => {
  api = await new FakeBotApi().start();
});
afterAll(async () => {
  await api?.close();
});

describe('Telegram sender', () => {
  it(
    'sends a text longer than 4096 characters in parts ' + 'cut between paragraphs, the keyboard on the last part',
    async () => {
      const paragraphs = Array.from({ length: 9 }, (_, i) => `${i}`.repeat(1000));
      const text = paragraphs.join('\n\n');
      const result = await senderFor(api.apiRoot).send('3001', {
        text,
        choices: [
          { id: 'yes', label: '✅ Yes' },
          { id: 'no', label: '❌ No' },
        ],
      });
      const parts = api.messagesTo(3001).map((c) => c.body);
      expect(parts.length).toBe(3);
      for (const part of parts) expect(String(part.text).length).toBeLessThanOrEqual(4096);
      expect(parts.map((p) => p.text).join('\n\n')).toBe(text);
      expect(parts.slice(0, -1).every((p) => p.reply_markup === undefined)).toBe(true);
      expect(parts.at(-1)?.reply_markup).toEqual({
        inline_keyboard: [[{ text: '1. ✅ Yes', callback_data: 'yes' }], [{ text: '2. ❌ No', callback_data: 'no' }]],
      });
      expect(result.platformMessageId).toBeDefined();
    },
  );

  it('never cuts an emoji in half, even in a text without spaces', async () => {
    await senderFor(api.apiRoot).send('3002', { text: '😀'.repeat(3000) });
    const parts = api.textsTo(3002);
    expect(parts.length).toBe(2);
    for (const part of parts) {
      expect(part.length).toBeLessThanOrEqual(4096);
      expect(LONE_SURROGATE.test(part)).toBe(false);
    }
    expect(parts.join('')).toBe('😀'.repeat(3000));
  });

  it('shows one numbered button per row and keeps every callback_data within 64 bytes', async () => {
    const longId = `assoc:${'x'.repeat(70)}`;
    const arabicId = 'خيار'.repeat(10); // 40 characters, 80 bytes
    await senderFor(api.apiRoot).send('3003', {
      text: 'اختر',
      rtl: true,
      choices: [
        { id: 'lang:ar', label: 'العربية' },
        { id: longId, label: 'Long' },
        { id: arabicId, label: 'خيار' },
      ],
    });
    const keyboard = inlineKeyboardSchema.parse(api.messagesTo(3003)[0]?.body.reply_markup).inline_keyboard;
    expect(keyboard.map((row) => row.length)).toEqual([1, 1, 1]);
    expect(keyboard.map((row) => row[0]?.text)).toEqual(['1. العربية', '2. Long', '3. خيار']);
    for (const row of keyboard) expect(Buffer.byteLength(row[0]?.callback_data ?? '', 'utf8')).toBeLessThanOrEqual(64);
    // a too-long id travels as its number and comes back as if the person typed it
    expect(keyboard.map((row) => decodeCallbackData(row[0]?.callback_data ?? ''))).toEqual([
      { kind: 'choice', choiceId: 'lang:ar' },
      { kind: 'text', text: '2' },
      { kind: 'text', text: '3' },
    ]);
  });

  it(
    'asks for a location with a one-time reply keyboard: ' + 'the share button first, then the choices by label',
    async () => {
      await senderFor(api.apiRoot).send('3004', {
        text: 'Where are you?',
        askLocation: true,
        locationLabel: '📍 Share my location',
        choices: [{ id: 'skip', label: '⏭️ Skip' }],
      });
      const markup = replyKeyboardSchema.parse(api.messagesTo(3004)[0]?.body.reply_markup);
      expect(markup.keyboard).toEqual([
        [{ text: '📍 Share my location', request_location: true }],
        [{ text: '⏭️ Skip' }],
      ]);
      expect(markup.one_time_keyboard).toBe(true);
    },
  );

  it(
    'a message without choices removes a leftover reply ' + 'keyboard and sends plain text without link previews',
    async () => {
      await senderFor(api.apiRoot).send('3005', { text: '<b>not bold</b> https://example.org' });
      const body = api.messagesTo(3005)[0]?.body;
      expect(body).toMatchObject({
        text: '<b>not bold</b> https://example.org',
        reply_markup: { remove_keyboard: true },
        link_preview_options: { is_disabled: true },
      });
      expect(body?.parse_mode).toBeUndefined();
    },
  );

  it('turns Bot API refusals into the delivery worker errors', async () => {
    const sender = senderFor(api.apiRoot);
    api.fail(
      'sendMessage',
      { error_code: 429, description: 'Too Many Requests: retry after 7', parameters: { retry_after: 7 } },
      { chatId: 3006 },
    );
    const limited = await sender.send('3006', { text: 'hi' }).catch((e: unknown) => e);
    expect(limited).toBeInstanceOf(PlatformRateLimited);
    expect(limited).toMatchObject({ retryAfterMs: 7000 });
    api.fail(
      'sendMessage',
      { error_code: 403, description: 'Forbidden: bot was blocked by the user' },
      { chatId: 3006 },
    );
    await expect(sender.send('3006', { text: 'hi' })).rejects.toMatchObject({
      code: 'RELAIS_PLATFORM_REJECTED',
      reason: 'Forbidden: bot was blocked by the user',
    });
    api.fail('sendMessage', { error_code: 400, description: 'Bad Request: chat not found' }, { chatId: 3006 });
    await expect(sender.send('3006', { text: 'hi' })).rejects.toBeInstanceOf(PlatformRejected);
    for (const code of [500, 502, 401]) {
      api.fail('sendMessage', { error_code: code, description: 'Internal Server Error' }, { chatId: 3006 });
      await expect(sender.send('3006', { text: 'hi' })).rejects.toBeInstanceOf(PlatformUnreachable);
    }
  });

  it('reports a network failure as unreachable without the token in the error', async () => {
    const closed = new FakeBotApi();
    await closed.start();
    const root = closed.apiRoot;
    await closed.close();
    const error = await senderFor(root)
      .send('3007', { text: 'hi' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PlatformUnreachable);
    const cause = error instanceof Error ? error.cause : undefined;
    expect(
      JSON.stringify({
        message: error instanceof Error ? error.message : '',
        cause: cause instanceof Error ? cause.message : '',
      }),
    ).not.toContain('TEST-token');
    expect(cause instanceof Error ? cause.message : '').toMatch(/ECONNREFUSED/);
  });
});

describe('Telegram delivery through the outbound queue', () => {
  let t: TestRelais;
  beforeAll(async () => {
    t = await startTestRelais('tgsender', telegramEnv(api.apiRoot), { transports: channelTransports });
  });
  afterAll(async () => {
    await t?.close();
  });

  const start = (chatId: number) =>
    t.relais.receive({
      channel: 'TELEGRAM',
      platformId: String(chatId),
      dedupeKey: `test-start-${chatId}`,
      receivedAt: new Date(),
      content: { kind: 'start' },
    });

  it('after a 429 the worker waits retry_after, then delivers every message once and in order', async () => {
    api.fail(
      'sendMessage',
      { error_code: 429, description: 'Too Many Requests: retry after 1', parameters: { retry_after: 1 } },
      { chatId: 4001 },
    );
    await start(4001);
    await eventually(async () => api.textsTo(4001).length >= 3, 15_000);
    const attempts = api.callsOf('sendMessage').filter((c) => c.body.chat_id === '4001');
    const refused = attempts.find((c) => c.status === 429);
    const firstDelivered = attempts.find((c) => c.status === 200);
    expect(refused && firstDelivered ? firstDelivered.at - refused.at : 0).toBeGreaterThanOrEqual(950);
    await new Promise((r) => setTimeout(r, 300));
    expect(api.textsTo(4001)).toEqual([
      t.relais.i18n.t('en', 'onboarding:welcome'),
      expect.any(String),
      t.relais.i18n.t('en', 'onboarding:choose_language'),
    ]);
  });

  it('a person who blocked the bot gets FAILED messages and other people are not held back', async () => {
    api.failAlways('sendMessage', 4002, { error_code: 403, description: 'Forbidden: bot was blocked by the user' });
    await start(4002);
    await start(4003);
    await eventually(async () => api.textsTo(4003).length >= 3);
    const identity = await t.relais.db.channelIdentity.findFirstOrThrow({
      where: { platformIdHash: t.relais.secrets.hash('TELEGRAM:4002') },
    });
    const failed = await eventually(async () => {
      const rows = await t.relais.db.message.findMany({
        where: { identityId: identity.id, direction: 'OUTBOUND' },
        select: { status: true, lastError: true },
      });
      return rows.length === 3 && rows.every((r) => r.status === 'FAILED') ? rows : undefined;
    });
    expect(failed.every((r) => r.lastError?.includes('blocked'))).toBe(true);
    expect(api.textsTo(4002)).toEqual([]);
  });
});
