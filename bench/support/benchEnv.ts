import os from 'node:os';
import { Redis } from 'ioredis';
import pg from 'pg';
import { TEST_REDIS_URL } from '../../test/support/testDatabase.js';

export const BENCH_TOKEN = '123456:BENCH-token_for_load';
export const BENCH_SECRET = 'bench_webhook_secret-0123456789';
export const BENCH_APP_SECRET = 'bench-app-secret-0123456789abcdef';

/** The environment of a Relais process under benchmark: production mode, Telegram webhook, quiet logs. */
/**
 * The database URL a benchmarked service uses: over TCP (127.0.0.1, like separate hosts), or
 * through Postgres' Unix socket when BENCH_PG_SOCKET_DIR is set (e.g. /var/run/postgresql:
 * one machine, no TCP stack on every query).
 */
export function serviceDatabaseUrl(url: string): string {
  const dir = process.env.BENCH_PG_SOCKET_DIR;
  if (!dir) return url;
  const socket = new URL(url);
  socket.hostname = 'localhost';
  socket.searchParams.set('host', dir);
  return socket.toString();
}

export function serviceEnv(input: {
  databaseUrl: string;
  port: number;
  prefix: string;
  apiRoot: string;
  runWorkers: boolean;
  extra?: Record<string, string>;
}): Record<string, string> {
  return {
    NODE_ENV: 'production',
    HOST: '127.0.0.1',
    PORT: String(input.port),
    LOG_LEVEL: 'warn',
    DATABASE_URL: serviceDatabaseUrl(input.databaseUrl),
    DATABASE_POOL_MAX: '10',
    AUTO_MIGRATE: 'false',
    REDIS_URL: TEST_REDIS_URL,
    QUEUE_PREFIX: input.prefix,
    RUN_WORKERS: String(input.runWorkers),
    APP_SECRET: BENCH_APP_SECRET,
    TELEGRAM_MODE: 'webhook',
    TELEGRAM_BOT_TOKEN: BENCH_TOKEN,
    TELEGRAM_WEBHOOK_SECRET: BENCH_SECRET,
    TELEGRAM_API_ROOT: input.apiRoot,
    // e.g. BENCH_SERVICE_NODE_OPTIONS=--max-old-space-size=96 (V8 flags for the services only, not the build)
    ...(process.env.BENCH_SERVICE_NODE_OPTIONS ? { NODE_OPTIONS: process.env.BENCH_SERVICE_NODE_OPTIONS } : {}),
    // e.g. BENCH_SERVICE_ENV=INBOUND_BATCH_MAX=1,INBOUND_BATCH_CONCURRENCY=4 (settings to compare)
    ...Object.fromEntries(
      (process.env.BENCH_SERVICE_ENV ?? '')
        .split(',')
        .filter((pair) => pair.includes('='))
        .map((pair) => [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)]),
    ),
    ...input.extra,
  };
}

/** Removes every BullMQ key a benchmark left under its queue prefix. */
export async function dropQueueKeys(prefix: string): Promise<void> {
  const redis = new Redis(TEST_REDIS_URL);
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length > 0) await redis.del(...keys);
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}

/** One query on a database, with a short-lived client. */
export async function queryOne<T>(url: string, sql: string): Promise<T | undefined> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const result = await client.query(sql);
    const row: unknown = result.rows[0];
    return row === undefined ? undefined : (row as T); // the caller names the columns it selected
  } finally {
    await client.end();
  }
}

/** Transactions committed in one database so far (pg_stat_database, refreshed by Postgres every ~0.5 s). */
export async function committedTransactions(url: string): Promise<number> {
  const name = new URL(url).pathname.slice(1);
  const row = await queryOne<{ n: string }>(
    url,
    `SELECT xact_commit::text AS n FROM pg_stat_database WHERE datname = '${name.replace(/'/g, "''")}'`,
  );
  return Number(row?.n ?? 0);
}

export function loadAverage(): string {
  return os
    .loadavg()
    .map((n) => n.toFixed(2))
    .join(' / ');
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
