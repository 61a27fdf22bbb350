import { WebClient } from '@slack/web-api';
import type { Logger } from 'pino';
import type { SlackClient } from './slackDeps.js';
import { slackLogger } from './slackLogger.js';

/**
 * Options of every Web API client Relais builds (Bolt's and the workers'). Slack rate limits
 * are honoured by the client (it waits Retry-After); network failures are retried a little
 * here and then by the task queue, with backoff.
 */
export function slackClientOptions(apiUrl: string) {
  return {
    slackApiUrl: apiUrl,
    timeout: 10_000,
    retryConfig: { retries: 2, factor: 2, minTimeout: 300, maxTimeout: 3_000 },
  };
}

/** The Web API client with the bot token, logging through pino (warnings and errors only, reduced). */
export function createSlackClient(settings: { botToken: string; apiUrl: string }, log: Logger): SlackClient {
  return new WebClient(settings.botToken, { ...slackClientOptions(settings.apiUrl), logger: slackLogger(log) });
}
