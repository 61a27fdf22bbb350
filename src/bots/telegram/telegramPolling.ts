import { setTimeout as sleep } from 'node:timers/promises';
import { Bot, GrammyError, type ApiClientOptions } from 'grammy';
import type { Logger } from 'pino';
import type { Receive } from '../../core/channels/channelTransport.js';
import { DependencyUnavailable } from '../../core/errors.js';
import type { InboundMessage } from '../../core/messages/messageTypes.js';
import { errorSummary } from '../../core/outbound/outboxDispatcher.js';
import { telegramInboundMiddleware } from './telegramInbound.js';
import { networkCode } from './telegramErrors.js';

export interface TelegramPollingDeps {
  token: string;
  botId: string;
  client: ApiClientOptions;
  log: Logger;
}

export const ALLOWED_UPDATES = ['message', 'callback_query'] as const;
const MAX_BACKOFF_MS = 30_000;
const STOP_TIMEOUT_MS = 5_000;

/**
 * Long polling for development (no public URL needed). grammY fetches updates one batch
 * at a time and handles them in order; an update is confirmed to Telegram only when the
 * next batch is requested, so while Postgres is down we keep retrying the same update
 * instead of letting it be confirmed and lost. Only one process may poll a token.
 */
export class TelegramPolling {
  private bot: Bot | undefined;
  private loop: Promise<void> | undefined;
  private readonly stopping = new AbortController();

  constructor(private readonly deps: TelegramPollingDeps) {}

  async start(receive: Receive): Promise<void> {
    const { token, botId, client, log } = this.deps;
    const bot = new Bot(token, { client });
    bot.use(telegramInboundMiddleware({ botId, log, deliver: (inbound) => this.deliverPatiently(receive, inbound) }));
    bot.catch((error) => log.error({ err: errorSummary(error.error) }, 'a Telegram update could not be handled'));
    this.bot = bot;
    // runs until stop(); never awaited here so the web process starts even if Telegram is unreachable
    this.loop = bot
      .start({
        allowed_updates: [...ALLOWED_UPDATES],
        onStart: () => log.info({ mode: 'polling' }, 'Telegram long polling started'),
      })
      .catch((error: unknown) => log.error({ code: pollingFailureCode(error) }, pollingFailureHint(error)));
  }

  async stop(): Promise<void> {
    this.stopping.abort();
    const bot = this.bot;
    if (!bot) return;
    // bot.stop() confirms the last update with one more getUpdates: bounded if Telegram hangs
    if (bot.isRunning())
      await Promise.race([bot.stop().catch(() => undefined), sleep(STOP_TIMEOUT_MS, undefined, { ref: false })]);
    await Promise.race([this.loop, sleep(STOP_TIMEOUT_MS, undefined, { ref: false })]);
  }

  private async deliverPatiently(receive: Receive, inbound: InboundMessage): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      try {
        await receive(inbound);
        return;
      } catch (error) {
        if (!(error instanceof DependencyUnavailable) || this.stopping.signal.aborted) throw error;
        const waitMs = Math.min(MAX_BACKOFF_MS, 500 * 2 ** attempt);
        this.deps.log.warn(
          { code: error.code, dependency: error.dependency, waitMs },
          'cannot store a Telegram update yet; retrying',
        );
        await sleep(waitMs, undefined, { signal: this.stopping.signal });
      }
    }
  }
}

function pollingFailureCode(error: unknown): string {
  return error instanceof GrammyError ? `telegram_${error.error_code}` : networkCode(error);
}

function pollingFailureHint(error: unknown): string {
  if (error instanceof GrammyError && (error.error_code === 401 || error.error_code === 404))
    return 'Telegram refused TELEGRAM_BOT_TOKEN: check it with @BotFather; polling stopped';
  if (error instanceof GrammyError && error.error_code === 409)
    return (
      'another process is already polling this bot (or a webhook is set): ' +
      'run a single polling process; polling stopped here'
    );
  return 'Telegram long polling stopped';
}
