import { Writable } from 'node:stream';
import { loadConfig, type Config } from '../../src/core/config.js';
import { createRelais, type Relais, type RelaisOptions } from '../../src/relais.js';
import { createTestDatabase, TEST_REDIS_URL, uniqueQueuePrefix, type TestDatabase } from './testDatabase.js';

/** Collects every log line the service writes, to assert what is (not) in them. */
export class LogCapture extends Writable {
  readonly lines: string[] = [];
  override _write(chunk: Buffer, _encoding: string, callback: () => void) {
    this.lines.push(
      ...chunk
        .toString('utf8')
        .split('\n')
        .filter((l) => l.length > 0),
    );
    callback();
  }
  get text(): string {
    return this.lines.join('\n');
  }
}

export interface TestRelais {
  relais: Relais;
  database: TestDatabase;
  logs: LogCapture;
  config: Config;
  close(): Promise<void>;
}

export interface TestRelaisOptions extends RelaisOptions {
  listen?: boolean;
  /** the address the service reaches its database at (a cuttable proxy in front of it) */
  databaseUrl?: (url: string) => string;
}

/**
 * A real Relais on a fresh database and queue prefix: real Postgres, real Redis, real Fastify
 * (use `relais.app.inject`, or `listen: true` for a port). Workers run unless disabled.
 */
export async function startTestRelais(
  label: string,
  env: Record<string, string> = {},
  options: TestRelaisOptions = {},
): Promise<TestRelais> {
  const { databaseUrl, listen, ...relaisOptions } = options;
  const database = await createTestDatabase(label);
  const logs = new LogCapture();
  const config = loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'info',
    PORT: '0',
    DATABASE_URL: databaseUrl ? databaseUrl(database.url) : database.url,
    DATABASE_POOL_MAX: '5',
    REDIS_URL: TEST_REDIS_URL,
    QUEUE_PREFIX: uniqueQueuePrefix(label),
    APP_SECRET: 'test-secret-0123456789abcdef',
    ...env,
  });
  const relais = await createRelais(config, {
    logDestination: logs,
    sweepIntervalMs: 300,
    web: listen ?? false,
    ...relaisOptions,
  });
  await relais.start();
  return {
    relais,
    database,
    logs,
    config,
    async close() {
      await relais.stop();
      await database.drop();
    },
  };
}

/** Polls until `check` returns a truthy value or the time is up. */
export async function eventually<T>(
  check: () => Promise<T | undefined | null | false>,
  timeoutMs = 10_000,
  intervalMs = 50,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await check();
      if (value) return value;
    } catch (error) {
      last = error;
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
  throw new Error(`condition not met within ${timeoutMs} ms${last instanceof Error ? `: ${last.message}` : ''}`);
}
