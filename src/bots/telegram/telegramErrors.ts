import { GrammyError, HttpError } from 'grammy';
import { PlatformRateLimited, PlatformRejected, PlatformUnreachable } from '../../core/errors.js';

const PLATFORM = 'telegram';
/** when Telegram says 429 without retry_after (it always gives one in practice) */
const DEFAULT_RETRY_AFTER_S = 1;

/**
 * Turns a grammY failure into the delivery worker's vocabulary:
 * - 429 → PlatformRateLimited (wait `retry_after`, the worker pauses the queue);
 * - 400 (chat not found, bad request) and 403 (blocked, deactivated) → PlatformRejected, for good;
 * - network errors, 5xx and anything else (401/404 wrong token, 409…) → PlatformUnreachable,
 *   retried with backoff so a configuration mistake does not drop messages at once.
 * The original error is not kept as the cause: grammY's carries the payload (text, chat id)
 * and the network error's message contains the URL, which contains the bot token.
 */
export function toPlatformError(error: unknown): PlatformRateLimited | PlatformRejected | PlatformUnreachable {
  if (error instanceof GrammyError) {
    if (error.error_code === 429)
      return new PlatformRateLimited(PLATFORM, (error.parameters.retry_after ?? DEFAULT_RETRY_AFTER_S) * 1000);
    if (error.error_code === 400 || error.error_code === 403)
      return new PlatformRejected(PLATFORM, error.description.slice(0, 160));
    return new PlatformUnreachable(PLATFORM, new Error(`Bot API answered ${error.error_code}`));
  }
  if (error instanceof HttpError)
    return new PlatformUnreachable(PLATFORM, new Error(`network: ${networkCode(error.error)}`));
  return new PlatformUnreachable(
    PLATFORM,
    new Error(`unexpected: ${error instanceof Error ? error.name : typeof error}`),
  );
}

/** The errno-like code of a failed fetch (ECONNREFUSED, ETIMEDOUT, AbortError…), never its message. */
export function networkCode(error: unknown): string {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && typeof current === 'object' && current !== null; depth++) {
    if ('code' in current && typeof current.code === 'string') return current.code;
    if ('name' in current && current.name === 'AbortError') return 'AbortError';
    current = 'cause' in current ? current.cause : undefined;
  }
  return 'unknown';
}
