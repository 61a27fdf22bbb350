import { BotError, type Bot } from 'grammy';
import type { FastifyInstance } from 'fastify';
import { safeEqual } from '../../core/secrets.js';
import { checkTelegramUpdate, webhookUpdateSchema } from './telegramUpdate.js';

export const TELEGRAM_WEBHOOK_PATH = '/telegram/webhook';
const SECRET_HEADER = 'x-telegram-bot-api-secret-token';
/** updates are a few KiB; a photo update carries file ids, not the photo */
const BODY_LIMIT = 256 * 1024;

export interface TelegramWebhookDeps {
  bot: Bot;
  secret: string;
  /** resolves once grammY knows the bot (getMe); throws PlatformUnreachable otherwise */
  ready: () => Promise<void>;
}

/**
 * `POST /telegram/webhook`: Telegram's deliveries. The secret header is checked in constant
 * time before the body is even parsed (401, nothing stored). The update goes through grammY
 * (`bot.handleUpdate`) and the 200 is sent only once the message is stored, so a crash
 * before that makes Telegram deliver it again, and the replay is de-duplicated by update id.
 * Postgres down → 503 (via the error handler): Telegram retries later.
 */
export async function registerTelegramWebhook(app: FastifyInstance, deps: TelegramWebhookDeps): Promise<void> {
  app.post(
    TELEGRAM_WEBHOOK_PATH,
    {
      bodyLimit: BODY_LIMIT,
      onRequest: async (request, reply) => {
        const given = request.headers[SECRET_HEADER];
        if (typeof given === 'string' && safeEqual(given, deps.secret)) return;
        request.log.warn({ code: 'RELAIS_TELEGRAM_BAD_SECRET' }, 'Telegram webhook call without the right secret');
        // returning the reply ends the request here: no body parsing, no handler
        return reply.status(401).send({ error: 'RELAIS_UNAUTHORIZED', message: 'missing or wrong secret token' });
      },
    },
    async (request, reply) => {
      // the check reports which field is wrong (400); the schema then types the same body for grammY
      const checked = checkTelegramUpdate(request.body);
      if (!checked.success) throw checked.error;
      const update = webhookUpdateSchema.parse(request.body);
      await deps.ready();
      try {
        await deps.bot.handleUpdate(update);
      } catch (error) {
        throw error instanceof BotError ? error.error : error;
      }
      // an empty body: a JSON body with a `method` would be executed by Telegram as an API call
      return reply.status(200).send();
    },
  );
}
