import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { createTelegramTransport } from '../../../src/bots/telegram/telegramTransport.js';
import { loadConfig } from '../../../src/core/config.js';
import { DependencyUnavailable } from '../../../src/core/errors.js';
import type { InboundMessage } from '../../../src/core/messages/messageTypes.js';
import { startBotApiEmulator, startTelegramTestbed, type TelegramTestbed } from '../../support/telegramEmulator.js';
import { eventually } from '../../support/testRelais.js';

let bed: TelegramTestbed;
beforeAll(async () => {
  bed = await startTelegramTestbed('tgpolling');
});
afterAll(async () => {
  await bed?.close();
});

const t = (lng: string, key: string, params?: Record<string, string | number>) =>
  bed.relais.relais.i18n.t(lng, key, { messageDays: 30, requestDays: 180, ...params });
const toArabicIndic = (n: number) => String(n).replace(/\d/g, (d) => String.fromCharCode(0x0660 + Number(d)));

describe('Telegram long polling against a Bot API emulator', () => {
  it(
    '/start shows the privacy notice and a numbered ' + 'language keyboard; pressing English opens the menu in English',
    async () => {
      const sam = bed.user({ languageCode: 'en' });
      const welcome = await sam.start();
      expect(welcome.map((r) => r.text)).toEqual([
        t('en', 'onboarding:welcome'),
        t('en', 'privacy:notice_short'),
        t('en', 'onboarding:choose_language'),
      ]);
      expect(welcome[2]?.buttons.slice(0, 3)).toEqual(['1. Français', '2. English', '3. العربية']);
      expect(welcome[2]?.buttonData.slice(0, 3)).toEqual(['lang:fr', 'lang:en', 'lang:ar']);

      const afterChoice = await sam.press('English');
      expect(afterChoice[0]?.text).toBe(t('en', 'onboarding:language_set'));
      const menu = afterChoice.at(-1);
      expect(menu?.text).toBe(t('en', 'menu:title'));
      const buttons = menu?.buttons ?? [];
      expect(buttons.length).toBeGreaterThan(0);
      expect(buttons.filter((b, i) => !b.startsWith(`${i + 1}. `))).toEqual([]);
      expect(buttons.some((b) => b.endsWith(t('en', 'menu:language')))).toBe(true);
    },
  );

  it(
    'in Arabic, right to left: the app language picks the welcome, the menu comes in Arabic and Arabic-Indic digits ' +
      'choose',
    async () => {
      const amina = bed.user({ languageCode: 'ar' });
      const welcome = await amina.start();
      expect(welcome[0]?.text).toBe(t('ar', 'onboarding:welcome'));

      const afterChoice = await amina.press('العربية');
      const menu = afterChoice.at(-1);
      expect(menu?.text).toBe(t('ar', 'menu:title'));
      const languageEntry = menu?.buttons.findIndex((b) => b.endsWith(t('ar', 'menu:language'))) ?? -1;
      expect(languageEntry).toBeGreaterThanOrEqual(0);

      const question = await amina.sendText(toArabicIndic(languageEntry + 1));
      expect(question.at(-1)?.text).toBe(t('ar', 'onboarding:choose_language'));
      const switched = await amina.sendText('٢');
      expect(switched[0]?.text).toBe(t('en', 'onboarding:language_set'));
    },
  );

  it(
    'acknowledges a voice message and a photo politely, declines an unexpected location, and takes /menu as the ' +
      'menu keyword',
    async () => {
      const farid = bed.user({ languageCode: 'fa' });
      await farid.start();
      await farid.press('فارسی / دری');

      const voice = await farid.sendVoice();
      expect(voice[0]?.text).toBe(t('fa', 'common:attachment_unsupported'));
      expect(voice.at(-1)?.text).toBe(t('fa', 'menu:title'));
      const photo = await farid.sendPhoto();
      expect(photo[0]?.text).toBe(t('fa', 'common:attachment_unsupported'));

      const location = await farid.shareLocation(50.95, 1.86);
      expect(location[0]?.text).toBe(t('fa', 'common:location_unexpected'));

      const menu = await farid.sendText('/menu');
      expect(menu.map((r) => r.text)).toEqual([t('fa', 'menu:title')]);
      expect(menu[0]?.buttons.length).toBeGreaterThan(0);
    },
  );

  it('keeps each person in their own conversation when several write at once', async () => {
    const people = [
      bed.user({ languageCode: 'fr' }),
      bed.user({ languageCode: 'ti' }),
      bed.user({ languageCode: 'am' }),
    ];
    const welcomes = await Promise.all(people.map((p) => p.start()));
    expect(welcomes.map((w) => w[0]?.text)).toEqual([
      t('fr', 'onboarding:welcome'),
      t('ti', 'onboarding:welcome'),
      t('am', 'onboarding:welcome'),
    ]);
    const menus = await Promise.all(people.map((p, i) => p.press(['lang:fr', 'lang:ti', 'lang:am'][i] ?? '')));
    expect(menus.map((m) => m.at(-1)?.text)).toEqual([
      t('fr', 'menu:title'),
      t('ti', 'menu:title'),
      t('am', 'menu:title'),
    ]);
  });
});

describe('Telegram long polling while the database is down', () => {
  it('retries the same update until it can be stored instead of confirming it to Telegram, then goes on', async () => {
    const api = await startBotApiEmulator();
    const token = '987654:TEST-token_polling_outage';
    const transport = createTelegramTransport(
      loadConfig({ TELEGRAM_MODE: 'polling', TELEGRAM_BOT_TOKEN: token, TELEGRAM_API_ROOT: api.apiRoot }),
      pino({ level: 'silent' }),
    );
    const attempts: InboundMessage[] = [];
    let outage = 2;
    // the core's entry point, as it behaves while Postgres is unreachable for two attempts
    await transport.start?.(async (inbound) => {
      attempts.push(inbound);
      if (outage-- > 0) throw new DependencyUnavailable('postgres');
      return { status: 'duplicate' };
    });
    try {
      const client = api.emulator.getClient(token, { chatId: 77, userId: 77 });
      await client.sendMessage(client.makeMessage('first'));
      await client.sendMessage(client.makeMessage('second'));
      await eventually(async () => attempts.length >= 4);
      expect(attempts.map((a) => (a.content.kind === 'text' ? a.content.text : a.content.kind))).toEqual([
        'first',
        'first',
        'first',
        'second',
      ]);
      expect(new Set(attempts.slice(0, 3).map((a) => a.dedupeKey)).size).toBe(1);
    } finally {
      await transport.stop?.();
      await api.close();
    }
  });
});
