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
  return { url, drop: () => dropDatabase(url) };
}

/** A queue prefix no other test file uses, so BullMQ keys never collide. */
export function uniqueQueuePrefix(label: string): string {
  return `t_${label.replace(/[^a-z0-9]/gi, '_')}_${randomBytes(4).toString('hex')}`;
}
