import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import type { Config } from './config.js';
import { applyMigrations, databaseAddress, DatabaseConnectionError, ensureDatabase, START_POSTGRES_HINT } from './db/schemaEngine.js';
import { redisOptions } from './queue/queueConnection.js';

export const MIGRATIONS_DIR = fileURLToPath(new URL('../../prisma/migrations', import.meta.url));

/** A start-up problem explained in one line for the person running Relais. */
export class StartupProblem extends Error {
  override readonly name = 'StartupProblem';
}

/** Creates the database if missing and applies migrations (AUTO_MIGRATE); returns applied migration names. */
export async function preparePostgres(config: Config): Promise<string[]> {
  try {
    await ensureDatabase(config.DATABASE_URL);
    return config.AUTO_MIGRATE ? await applyMigrations({ connectionString: config.DATABASE_URL, migrationsDir: MIGRATIONS_DIR }) : [];
  } catch (error) {
    if (error instanceof DatabaseConnectionError) throw new StartupProblem(`${error.message}. ${START_POSTGRES_HINT}`);
    throw error;
  }
}

/** Checks that Redis answers within 3 s. */
export async function checkRedis(config: Config): Promise<void> {
  const redis = new Redis({ ...redisOptions(config.REDIS_URL, 'producer'), lazyConnect: true, retryStrategy: () => null });
  redis.on('error', () => undefined);
  const url = new URL(config.REDIS_URL);
  const address = `${url.hostname}:${url.port || '6379'}`;
  try {
    await redis.connect();
    await redis.ping();
    const policy = await redis.config('GET', 'maxmemory-policy').catch(() => []);
    if (Array.isArray(policy) && policy[1] && policy[1] !== 'noeviction') {
      process.stderr.write(`warning: Redis at ${address} has maxmemory-policy ${String(policy[1])}; BullMQ needs noeviction or jobs may vanish\n`);
    }
  } catch {
    throw new StartupProblem(
      `cannot connect to Redis at ${address}. Start Redis (\`docker compose -f docker-compose.dev.yml up -d redis\`, or \`redis-server --daemonize yes\`) or set REDIS_URL.`,
    );
  } finally {
    redis.disconnect();
  }
}

export { databaseAddress };
