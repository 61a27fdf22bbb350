import pg from 'pg';
import { randomBytes } from 'node:crypto';
import { applyMigrations, dropDatabase, ensureDatabase } from '../../src/core/db/schemaEngine.js';
import { MIGRATIONS_DIR } from '../../src/core/startupChecks.js';

export const TEST_PG_BASE = process.env.TEST_DATABASE_BASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/';
export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

export interface TestDatabase {
  url: string;
  drop(): Promise<void>;
}

/** A fresh, migrated database of its own for one test file; drop it in afterAll. */
export async function createTestDatabase(label: string): Promise<TestDatabase> {
  const name = `relais_test_${label.replace(/[^a-z0-9]/gi, '_').toLowerCase()}_${randomBytes(4).toString('hex')}`;
  const url = new URL(name, TEST_PG_BASE).toString();
  await ensureDatabase(url);
  await applyMigrations({ connectionString: url, migrationsDir: MIGRATIONS_DIR });
  return { url, drop: () => dropWhenClosed(name, url) };
}

/**
 * Drops a test database once its connections are gone. A pool's `end()` resolves before its
 * connections have closed; dropping WITH (FORCE) then would terminate them, and a client that
 * hears "terminating connection" while it closes reports an unhandled error.
 */
async function dropWhenClosed(name: string, url: string): Promise<void> {
  const admin = new pg.Client({ connectionString: new URL('postgres', TEST_PG_BASE).toString() });
  await admin.connect();
  try {
    for (let waited = 0; waited < 3000; waited += 50) {
      const { rows } = await admin.query<{ n: number }>(
        'SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()',
        [name],
      );
      if ((rows[0]?.n ?? 0) === 0) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  } finally {
    await admin.end();
  }
  await dropDatabase(url);
}

/** A queue prefix no other test file uses, so BullMQ keys never collide. */
export function uniqueQueuePrefix(label: string): string {
  return `t_${label.replace(/[^a-z0-9]/gi, '_')}_${randomBytes(4).toString('hex')}`;
}
