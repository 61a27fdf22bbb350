// `npm run telegram:set-webhook`: tells Telegram where to deliver updates (PUBLIC_URL +
// /telegram/webhook) with TELEGRAM_WEBHOOK_SECRET, and sets the command menu in each language.
import process from 'node:process';
import { configureTelegramWebhook } from '../src/bots/telegram/telegramSetup.js';
import { loadConfig } from '../src/core/config.js';
import { createI18n, LANGUAGES } from '../src/core/i18n/i18n.js';

async function main(): Promise<number> {
  const config = loadConfig(process.env);
  const { TELEGRAM_BOT_TOKEN: token, TELEGRAM_WEBHOOK_SECRET: secret, PUBLIC_URL: publicUrl } = config;
  if (!token || !secret || !publicUrl) {
    console.error(
      'telegram:set-webhook needs TELEGRAM_BOT_TOKEN, TELEGRAM_WEBHOOK_SECRET and PUBLIC_URL (see .env.example)',
    );
    return 1;
  }
  if (!publicUrl.startsWith('https://')) console.warn('warning: Telegram only delivers webhooks to https:// URLs');
  const i18n = createI18n();
  const status = await configureTelegramWebhook({
    token,
    apiRoot: config.TELEGRAM_API_ROOT,
    publicUrl,
    secret,
    languages: LANGUAGES,
    defaultLanguage: config.DEFAULT_LANGUAGE,
    describe: (language, key) => i18n.t(language, key),
  });
  console.log(`webhook: ${status.url}`);
  console.log(`updates waiting at Telegram: ${status.pendingUpdates}`);
  if (status.lastError) console.log(`last delivery error reported by Telegram: ${status.lastError}`);
  return 0;
}

try {
  process.exitCode = await main();
} catch (error) {
  console.error(`telegram:set-webhook: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
}
