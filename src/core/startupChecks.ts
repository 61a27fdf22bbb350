import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { Config } from './config.js';
import {
  applyMigrations,
  databaseAddress,
  DatabaseConnectionError,
  DatabaseMissing,
  ensureDatabase,
  pendingMigrations,
  START_POSTGRES_HINT,
} from './db/schemaEngine.js';
import { redisOptions } from './queue/queueConnection.js';
import { retryStartupStep } from './startupRetry.js';

export const MIGRATIONS_DIR = fileURLToPath(new URL('../../prisma/migrations', import.meta.url));

/** A start-up problem explained in one line for the person running Relais. */
export class StartupProblem extends Error {
  override readonly name = 'StartupProblem';
}

/**
 * Postgres or Redis is not ready yet (not started, the database being created, migrations not
 * applied yet): the process waits for it up to STARTUP_RETRY_SECONDS. The message names the
 * server (host:port), never credentials or data.
 */
export class DependencyNotReady extends StartupProblem {
  readonly code = 'RELAIS_DEPENDENCY_NOT_READY';
  constructor(
    readonly dependency: 'PostgreSQL' | 'Redis',
    message: string,
  ) {
    super(message);
  }
}

/**
 * Creates the database if missing and applies migrations (AUTO_MIGRATE); returns applied
 * migration names. Any number of processes may do this at once (advisory locks). A process
 * without AUTO_MIGRATE creates nothing: it fails with {@link DependencyNotReady} until the
 * database exists with every migration applied (by a process that migrates).
 */
export async function preparePostgres(config: Config): Promise<string[]> {
  const target = { connectionString: config.DATABASE_URL, migrationsDir: MIGRATIONS_DIR };
  try {
    if (config.AUTO_MIGRATE) {
      await ensureDatabase(config.DATABASE_URL);
      return await applyMigrations(target);
    }
    const pending = await pendingMigrations(target);
    if (pending.length > 0) {
      throw new DependencyNotReady(
        'PostgreSQL',
        `${pending.length} migration(s) not applied yet: waiting for the process with AUTO_MIGRATE=true`,
      );
    }
    return [];
  } catch (error) {
    if (error instanceof DatabaseConnectionError)
      throw new DependencyNotReady('PostgreSQL', `${error.message}. ${START_POSTGRES_HINT}`);
    if (error instanceof DatabaseMissing) {
      throw new DependencyNotReady(
        'PostgreSQL',
        `${error.message} yet at ${databaseAddress(config.DATABASE_URL)}: ` +
          'waiting for the process with AUTO_MIGRATE=true',
      );
    }
    throw error;
  }
}

/** Checks that Redis answers within 3 s. */
export async function checkRedis(config: Config): Promise<void> {
  const redis = new Redis({
    ...redisOptions(config.REDIS_URL, 'producer'),
    lazyConnect: true,
    retryStrategy: () => null,
  });
  redis.on('error', () => undefined);
  const url = new URL(config.REDIS_URL);
  const address = `${url.hostname}:${url.port || '6379'}`;
  try {
    await redis.connect();
    await redis.ping();
    const policy = await redis.config('GET', 'maxmemory-policy').catch(() => []);
    if (Array.isArray(policy) && policy[1] && policy[1] !== 'noeviction') {
      process.stderr.write(
        `warning: Redis at ${address} has maxmemory-policy ${String(policy[1])}; ` +
          'BullMQ needs noeviction or jobs may vanish\n',
      );
    }
  } catch {
    throw new DependencyNotReady(
      'Redis',
      `cannot connect to Redis at ${address}. ` +
        'Start Redis (`docker compose -f docker-compose.dev.yml up -d redis`, or `redis-server --daemonize yes`) ' +
        'or set REDIS_URL.',
    );
  } finally {
    redis.disconnect();
  }
}

/**
 * Start-up of a web or worker process: Postgres prepared ({@link preparePostgres}), then Redis
 * checked, each retried with backoff while it is not ready (each attempt logged with the
 * reason), until STARTUP_RETRY_SECONDS after `startedAt`; then a {@link StartupProblem} in one
 * line. Returns the migrations this process applied.
 */
export async function waitForDependencies(config: Config, log: Logger, startedAt = Date.now()): Promise<string[]> {
  const budgetS = config.STARTUP_RETRY_SECONDS;
  const retry = {
    deadline: startedAt + budgetS * 1000,
    isTransient: (error: unknown) => error instanceof DependencyNotReady,
    onRetry: (error: unknown, attempt: number, waitMs: number) => {
      const dependency = error instanceof DependencyNotReady ? error.dependency : 'a dependency';
      const reason = error instanceof Error ? error.message : String(error);
      log.warn({ dependency, attempt, retryInMs: waitMs, reason }, `${dependency} not ready; retrying`);
    },
    giveUp: (error: unknown, attempts: number) =>
      new StartupProblem(
        `${error instanceof Error ? error.message : String(error)} ` +
          `(gave up after ${attempts} attempt(s) in ${budgetS} s, STARTUP_RETRY_SECONDS)`,
      ),
  };
  const applied = await retryStartupStep(() => preparePostgres(config), retry);
  await retryStartupStep(() => checkRedis(config), retry);
  return applied;
}

export { databaseAddress };
