import type { Response as InjectResponse } from 'light-my-request';
import { channelTransports } from '../../../src/bots/channelTransports.js';
import { loadConfig } from '../../../src/core/config.js';
import { createRelais, type Relais } from '../../../src/relais.js';
import { FakeBotApi } from '../../support/fakeBotApi.js';
import {
  createTestDatabase,
  TEST_REDIS_URL,
  uniqueQueuePrefix,
  type TestDatabase,
} from '../../support/testDatabase.js';
import { LogCapture } from '../../support/testRelais.js';

export const FAULT_SECRET = 'fault_webhook_secret-0123456789';
export const FAULT_TOKEN = '123456:FAULT-token_for_tests';
export const FAULT_BOT_ID = '123456';

export interface FaultRelais {
  relais: Relais;
  database: TestDatabase;
  api: FakeBotApi;
  logs: LogCapture;
  post(update: unknown): Promise<InjectResponse>;
  close(): Promise<void>;
}

/**
 * A Relais with the Telegram webhook on a fresh database, whose Postgres and Redis addresses a
 * fault test can replace (a cuttable proxy, a private redis-server): `db(url)` maps the real
 * database URL to the one the service uses.
 */
export async function startFaultRelais(
  label: string,
  options: { db?: (url: string) => string; redisUrl?: string; env?: Record<string, string> } = {},
): Promise<FaultRelais> {
  const database = await createTestDatabase(label);
  const api = await new FakeBotApi().start();
  const logs = new LogCapture();
  const config = loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'info',
    DATABASE_URL: options.db ? options.db(database.url) : database.url,
    DATABASE_POOL_MAX: '5',
    DATABASE_CONNECT_TIMEOUT_MS: '1000',
    REDIS_URL: options.redisUrl ?? TEST_REDIS_URL,
    QUEUE_PREFIX: uniqueQueuePrefix(label),
    APP_SECRET: 'test-secret-0123456789abcdef',
    TELEGRAM_MODE: 'webhook',
    TELEGRAM_BOT_TOKEN: FAULT_TOKEN,
    TELEGRAM_API_ROOT: api.apiRoot,
    TELEGRAM_WEBHOOK_SECRET: FAULT_SECRET,
    TELEGRAM_RATE_PER_CHAT_MS: '0',
    ...options.env,
  });
  const relais = await createRelais(config, {
    transports: channelTransports,
    logDestination: logs,
    sweepIntervalMs: 300,
    web: false,
  });
  await relais.start();
  return {
    relais,
    database,
    api,
    logs,
    post: (update) =>
      relais.app.inject({
        method: 'POST',
        url: '/telegram/webhook',
        payload: JSON.stringify(update),
        headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': FAULT_SECRET },
      }),
    async close() {
      await relais.stop();
      await api.close();
      await database.drop();
    },
  };
}
