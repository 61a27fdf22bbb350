import type { Api, Context, MiddlewareFn } from 'grammy';
import type { Logger } from 'pino';
import type { InboundMessage } from '../../core/messages/messageTypes.js';
import { toPlatformError } from './telegramErrors.js';
import { mapTelegramUpdate } from './telegramUpdateMapper.js';
import { checkTelegramUpdate } from './telegramUpdate.js';

export interface TelegramInboundDeps {
  botId: string;
  log: Logger;
  /** stores the message through the core's `receive()`; resolves once it is stored */
  deliver: (inbound: InboundMessage) => Promise<void>;
}

/**
 * The one grammY middleware of Relais: every update (webhook or polling) is validated,
 * mapped to the channel-neutral message and stored before grammY considers it handled.
 * A pressed button is answered at once, in parallel with the store, so the person's app
 * stops its spinner even when the database is slow.
 */
export function telegramInboundMiddleware(deps: TelegramInboundDeps): MiddlewareFn<Context> {
  return async (ctx) => {
    const parsed = checkTelegramUpdate(ctx.update);
    if (!parsed.success) {
      deps.log.warn({ updateId: ctx.update.update_id }, 'malformed Telegram update ignored');
      return;
    }
    const mapped = mapTelegramUpdate(parsed.data, deps.botId, new Date());
    if (mapped.callbackQueryId !== undefined) answerCallbackQuery(ctx.api, mapped.callbackQueryId, deps.log);
    if (mapped.kind === 'ignored') {
      deps.log.debug(
        { updateId: parsed.data.update_id, reason: mapped.reason },
        'Telegram update acknowledged without effect',
      );
      return;
    }
    await deps.deliver(mapped.inbound);
  };
}

function answerCallbackQuery(api: Api, callbackQueryId: string, log: Logger): void {
  // not awaited: the answer only stops the button's spinner, it must not delay the store
  api.answerCallbackQuery(callbackQueryId).catch((error: unknown) => {
    // a replayed update's query is already answered (400): expected, not worth a warning
    log.debug({ code: toPlatformError(error).code }, 'callback query not answered');
  });
}
