import { z } from 'zod';
import { PlatformRejected } from '../../core/errors.js';

const platformError = z.object({
  code: z.literal('slack_webapi_platform_error'),
  data: z.object({ error: z.string() }),
});

/**
 * The `error` field of a Slack Web API refusal (`channel_not_found`, `message_not_found`…), or null for network
 * failures.
 */
export function slackErrorCode(error: unknown): string | null {
  const parsed = platformError.safeParse(error);
  return parsed.success ? parsed.data.data.error : null;
}

/**
 * In background tasks: a refusal from Slack is permanent (retrying a deleted channel
 * helps no one), so it becomes PlatformRejected, which the task worker does not retry.
 * Network errors and rate limits stay as they are and are retried with backoff.
 */
export function asTaskError(error: unknown): unknown {
  const code = slackErrorCode(error);
  if (code && code !== 'ratelimited' && code !== 'internal_error' && code !== 'fatal_error')
    return new PlatformRejected('slack', code);
  return error;
}
