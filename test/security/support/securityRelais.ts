import type { LightMyRequestResponse } from 'fastify';
import { channelTransports } from '../../../src/bots/channelTransports.js';
import { FakeSlackApi } from '../../bots/slack/support/fakeSlackApi.js';
import { SlackRequester } from '../../bots/slack/support/slackRequests.js';
import { FakeBotApi } from '../../support/fakeBotApi.js';
import { startTestRelais, type TestRelais } from '../../support/testRelais.js';

export const TELEGRAM_SECRET = 'webhook_secret-Sec0123456789';
export const TELEGRAM_TOKEN = '123456:TEST-token_for_security';
export const TELEGRAM_BOT_ID = '123456';
export const SLACK_SECRET = 'test-signing-secret-security-0123';
export const ADMIN_TOKEN = 'admin-token-security-0123456789';

export interface SecurityRelais {
  t: TestRelais;
  botApi: FakeBotApi;
  slackApi: FakeSlackApi;
  slack: SlackRequester;
  /** posts a Telegram update; `secret: null` sends no secret header */
  telegram(body: unknown, secret?: string | null): Promise<LightMyRequestResponse>;
  close(): Promise<void>;
}

/**
 * One Relais with every HTTP surface open: Telegram webhook (fake Bot API), Slack over HTTP
 * (fake Web API), web chat and the admin API (ADMIN_TOKEN), as an attacker on the Internet sees it.
 */
export async function startSecurityRelais(label: string, env: Record<string, string> = {}): Promise<SecurityRelais> {
  const botApi = await new FakeBotApi().start();
  const slackApi = new FakeSlackApi();
  await slackApi.start();
  const t = await startTestRelais(
    label,
    {
      TELEGRAM_MODE: 'webhook',
      TELEGRAM_BOT_TOKEN: TELEGRAM_TOKEN,
      TELEGRAM_API_ROOT: botApi.apiRoot,
      TELEGRAM_WEBHOOK_SECRET: TELEGRAM_SECRET,
      TELEGRAM_RATE_PER_CHAT_MS: '0',
      SLACK_MODE: 'http',
      SLACK_BOT_TOKEN: 'xoxb-test-token',
      SLACK_SIGNING_SECRET: SLACK_SECRET,
      SLACK_API_URL: slackApi.url,
      ADMIN_TOKEN,
      DATABASE_POOL_MAX: '8',
      // the fuzz sends thousands of web chat posts from one address; the limit has its own test
      WEBCHAT_RATE_PER_SESSION_PER_MIN: '1000000',
      WEBCHAT_RATE_PER_IP_PER_MIN: '1000000',
      WEBCHAT_NEW_SESSIONS_PER_IP_PER_HOUR: '1000000',
      ...env,
    },
    { transports: channelTransports },
  );
  return {
    t,
    botApi,
    slackApi,
    slack: new SlackRequester(t.relais.app, SLACK_SECRET),
    telegram: (body, secret = TELEGRAM_SECRET) =>
      t.relais.app.inject({
        method: 'POST',
        url: '/telegram/webhook',
        payload: typeof body === 'string' ? body : JSON.stringify(body),
        headers: {
          'content-type': 'application/json',
          ...(secret === null ? {} : { 'x-telegram-bot-api-secret-token': secret }),
        },
      }),
    async close() {
      await t.close();
      await slackApi.stop();
      await botApi.close();
    },
  };
}
