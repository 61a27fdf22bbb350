import { Api, Bot, GrammyError, type ApiClientOptions } from 'grammy';
import type { Logger } from 'pino';
import type { ChannelTransport } from '../../core/channels/channelTransport.js';
import type { Config } from '../../core/config.js';
import { PlatformUnreachable } from '../../core/errors.js';
import { telegramInboundMiddleware } from './telegramInbound.js';
import { TelegramPolling } from './telegramPolling.js';
import { createTelegramSender } from './telegramSender.js';
import { registerTelegramWebhook } from './telegramWebhookRoute.js';
import { networkCode } from './telegramErrors.js';

export type TelegramConfig = Pick<
  Config,
  | 'TELEGRAM_MODE'
  | 'TELEGRAM_BOT_TOKEN'
  | 'TELEGRAM_API_ROOT'
  | 'TELEGRAM_WEBHOOK_SECRET'
  | 'TELEGRAM_RATE_GLOBAL_PER_SEC'
  | 'TELEGRAM_RATE_PER_CHAT_MS'
  | 'TELEGRAM_SEND_CONCURRENCY'
>;

/** a send that hangs this long is retried by the delivery worker */
const SEND_TIMEOUT_S = 30;
/** above the 30 s long-polling wait of getUpdates */
const POLL_TIMEOUT_S = 45;
const GET_ME_TIMEOUT_S = 5;

/** The bot's numeric id is the part of the token before the colon: known without a network call. */
export function botIdFromToken(token: string): string {
  const id = token.split(':')[0];
  if (!id || !/^\d+$/.test(id)) throw new Error('TELEGRAM_BOT_TOKEN must look like <bot id>:<secret>');
  return id;
}

/**
 * The Telegram channel: a sender for the outbound queue (any process) and either the
 * webhook route (web process) or long polling (development), chosen by TELEGRAM_MODE.
 * This folder is the only place that imports grammY.
 */
export function createTelegramTransport(config: TelegramConfig, log: Logger): ChannelTransport {
  const token = config.TELEGRAM_BOT_TOKEN;
  if (!token) throw new Error('TELEGRAM_BOT_TOKEN is required when TELEGRAM_MODE is not off');
  const botId = botIdFromToken(token);
  const apiRoot = config.TELEGRAM_API_ROOT;
  const sendClient: ApiClientOptions = { apiRoot, timeoutSeconds: SEND_TIMEOUT_S };
  const sender = createTelegramSender(new Api(token, sendClient), {
    globalPerSec: config.TELEGRAM_RATE_GLOBAL_PER_SEC,
    perChatMs: config.TELEGRAM_RATE_PER_CHAT_MS,
    // Telegram counts messages per second (about 30 for a bot; more with paid broadcasts): never
    // more than the configured rate in any second, however sends bunch up after a pause; a
    // request reaches the Bot API within 250 ms of leaving (one round trip on a kept-alive
    // connection), however long its answer takes
    window: { limit: Math.max(1, Math.floor(config.TELEGRAM_RATE_GLOBAL_PER_SEC)), windowMs: 1000, arrivalMs: 250 },
    jitterMs: 0,
    concurrency: config.TELEGRAM_SEND_CONCURRENCY,
  });
  const transport: ChannelTransport = { name: 'telegram', sender };

  if (config.TELEGRAM_MODE === 'polling') {
    const polling = new TelegramPolling({ token, botId, client: { apiRoot, timeoutSeconds: POLL_TIMEOUT_S }, log });
    transport.start = (receive) => polling.start(receive);
    transport.stop = () => polling.stop();
  }

  if (config.TELEGRAM_MODE === 'webhook') {
    const secret = config.TELEGRAM_WEBHOOK_SECRET;
    if (!secret) throw new Error('TELEGRAM_WEBHOOK_SECRET is required when TELEGRAM_MODE=webhook');
    const bot = new Bot(token, { client: sendClient });
    const ready = botReadiness(bot, token, apiRoot, log);
    transport.registerRoutes = async (app, receive) => {
      bot.use(
        telegramInboundMiddleware({
          botId,
          log,
          deliver: async (inbound) => {
            await receive(inbound);
          },
        }),
      );
      await registerTelegramWebhook(app, { bot, secret, ready });
    };
    // learn who the bot is at start-up, so a wrong token shows in the logs before the first update
    transport.start = async () => void ready().catch(() => undefined);
  }
  return transport;
}

/**
 * grammY needs to know the bot (getMe) before handling updates. Asked once with a short
 * timeout (not grammY's own init, which retries for ever), and again after a failure.
 */
function botReadiness(bot: Bot, token: string, apiRoot: string, log: Logger): () => Promise<void> {
  const api = new Api(token, { apiRoot, timeoutSeconds: GET_ME_TIMEOUT_S });
  let pending: Promise<void> | undefined;
  return () => {
    if (bot.isInited()) return Promise.resolve();
    pending ??= api.getMe().then(
      (me) => {
        bot.botInfo = me;
      },
      (error: unknown) => {
        pending = undefined;
        const code = error instanceof GrammyError ? `telegram_${error.error_code}` : networkCode(error);
        log.error({ code }, 'could not reach the Telegram Bot API (getMe); webhook updates get 503 until it answers');
        throw new PlatformUnreachable('telegram', new Error(code));
      },
    );
    return pending;
  };
}
