import { Api, GrammyError } from 'grammy';
import type { BotCommand, LanguageCode } from 'grammy/types';
import { ALLOWED_UPDATES } from './telegramPolling.js';
import { networkCode } from './telegramErrors.js';
import { TELEGRAM_WEBHOOK_PATH } from './telegramWebhookRoute.js';

/**
 * Telegram describes commands per two-letter app language. Sorani has no two-letter code:
 * Kurdish apps report `ku`, the closest we can serve.
 */
const APP_LANGUAGES: Readonly<Record<string, LanguageCode>> = {
  fr: 'fr',
  en: 'en',
  ar: 'ar',
  fa: 'fa',
  ps: 'ps',
  ti: 'ti',
  am: 'am',
  ckb: 'ku',
};

/** Commands of the bot's menu button, in this order; descriptions come from `channel:commands.*`. */
export const TELEGRAM_COMMANDS = ['start', 'menu', 'language', 'help', 'stop'] as const;

export interface TelegramSetupOptions {
  token: string;
  apiRoot: string;
  /** public https base URL of the web process, e.g. https://relais.example.org */
  publicUrl: string;
  secret: string;
  /** our languages to describe the commands in */
  languages: readonly string[];
  defaultLanguage: string;
  describe: (language: string, key: string) => string;
}

export interface WebhookStatus {
  url: string;
  pendingUpdates: number;
  lastError?: string;
}

/**
 * Registers the webhook (with its secret token and the update kinds we use) and the command
 * menu in every language Telegram accepts, then reads back what Telegram has.
 */
export async function configureTelegramWebhook(options: TelegramSetupOptions): Promise<WebhookStatus> {
  const api = new Api(options.token, { apiRoot: options.apiRoot, timeoutSeconds: 20 });
  const url = new URL(TELEGRAM_WEBHOOK_PATH, options.publicUrl).toString();
  try {
    await api.setWebhook(url, {
      secret_token: options.secret,
      allowed_updates: [...ALLOWED_UPDATES],
      max_connections: 40,
    });
    await api.setMyCommands(commands(options, options.defaultLanguage));
    for (const language of options.languages) {
      const appLanguage = APP_LANGUAGES[language];
      if (appLanguage) await api.setMyCommands(commands(options, language), { language_code: appLanguage });
    }
    const info = await api.getWebhookInfo();
    const status: WebhookStatus = { url: info.url ?? '', pendingUpdates: info.pending_update_count };
    if (info.last_error_message) status.lastError = info.last_error_message;
    return status;
  } catch (error) {
    if (error instanceof GrammyError) throw new Error(`Telegram refused ${error.method}: ${error.description}`);
    throw new Error(`could not reach the Bot API at ${options.apiRoot} (${networkCode(error)})`);
  }
}

function commands(options: TelegramSetupOptions, language: string): BotCommand[] {
  return TELEGRAM_COMMANDS.map((command) => ({
    command,
    description: options.describe(language, `channel:commands.${command}`),
  }));
}
