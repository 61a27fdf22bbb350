import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configureTelegramWebhook } from '../../../src/bots/telegram/telegramSetup.js';
import { createI18n, LANGUAGES } from '../../../src/core/i18n/i18n.js';
import { FakeBotApi } from '../../support/fakeBotApi.js';

let api: FakeBotApi;
beforeAll(async () => {
  api = await new FakeBotApi().start();
});
afterAll(async () => {
  await api?.close();
});

const i18n = createI18n();
const options = () => ({
  token: '123456:TEST-setup',
  apiRoot: api.apiRoot,
  publicUrl: 'https://relais.example.org',
  secret: 'setup_secret-123',
  languages: LANGUAGES,
  defaultLanguage: 'en',
  describe: (language: string, key: string) => i18n.t(language, key),
});

describe('telegram:set-webhook', () => {
  it('registers the webhook with its secret and only the update kinds Relais handles', async () => {
    const status = await configureTelegramWebhook(options());
    expect(api.callsOf('setWebhook').at(-1)?.body).toMatchObject({
      url: 'https://relais.example.org/telegram/webhook',
      secret_token: 'setup_secret-123',
      allowed_updates: ['message', 'callback_query'],
    });
    expect(status).toEqual({ url: '', pendingUpdates: 0 });
  });

  it('describes the command menu in every language Telegram apps can report, Sorani as Kurdish', async () => {
    await configureTelegramWebhook(options());
    const calls = api.callsOf('setMyCommands').slice(-(LANGUAGES.length + 1));
    expect(calls.map((c) => c.body.language_code ?? 'default')).toEqual([
      'default',
      'fr',
      'en',
      'ar',
      'fa',
      'ps',
      'ti',
      'ku',
      'am',
    ]);
    const arabic = calls.find((c) => c.body.language_code === 'ar')?.body.commands;
    expect(i18n.t('ar', 'channel:commands.menu')).toBe('القائمة الرئيسية');
    expect(arabic).toEqual([
      { command: 'start', description: i18n.t('ar', 'channel:commands.start') },
      { command: 'menu', description: i18n.t('ar', 'channel:commands.menu') },
      { command: 'language', description: i18n.t('ar', 'channel:commands.language') },
      { command: 'help', description: i18n.t('ar', 'channel:commands.help') },
      { command: 'stop', description: i18n.t('ar', 'channel:commands.stop') },
    ]);
  });

  it('says which call Telegram refused', async () => {
    api.fail('setWebhook', {
      error_code: 400,
      description: 'Bad Request: bad webhook: HTTPS url must be provided for webhook',
    });
    await expect(configureTelegramWebhook(options())).rejects.toThrow(
      'Telegram refused setWebhook: Bad Request: bad webhook: HTTPS url must be provided for webhook',
    );
  });
});
