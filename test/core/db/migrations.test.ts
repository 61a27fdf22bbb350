import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  applyMigrations,
  defaultDatabaseUrl,
  diffSchemas,
  dropDatabase,
  ensureDatabase,
  readMigrationList,
  SCHEMA_SNAPSHOT_FILE,
} from '../../../src/core/db/schemaEngine.js';

const root = fileURLToPath(new URL('../../..', import.meta.url));
const migrationsDir = path.join(root, 'prisma', 'migrations');

function testDatabaseUrl(): string {
  const url = new URL(defaultDatabaseUrl());
  url.pathname = `/relais_test_migr_${randomBytes(6).toString('hex')}`;
  return url.toString();
}

async function migrationNames(): Promise<string[]> {
  const list = await readMigrationList(migrationsDir);
  return list.migrationDirectories.map((dir) => dir.path);
}

describe('prisma/migrations', () => {
  it('has a migration for every change of prisma/schema.prisma', async () => {
    const latest = (await migrationNames()).at(-1);
    expect(latest, 'no migration yet: run npm run db:migration -- --name init').toBeDefined();
    const snapshot = await readFile(path.join(migrationsDir, latest ?? '', SCHEMA_SNAPSHOT_FILE), 'utf8');
    const current = await readFile(path.join(root, 'prisma', 'schema.prisma'), 'utf8');

    const sql = await diffSchemas(snapshot, current);

    expect(sql, 'schema changed without a migration: run npm run db:migration -- --name <what_changed>').toBe('');
  });
});

describe('applying prisma/migrations to a fresh database', () => {
  const url = testDatabaseUrl();
  let client: pg.Client | undefined;
  let firstRun: string[] = [];

  beforeAll(async () => {
    await ensureDatabase(url);
    firstRun = await applyMigrations({ connectionString: url, migrationsDir });
    client = new pg.Client({ connectionString: url });
    await client.connect();
  });

  afterAll(async () => {
    await client?.end();
    await dropDatabase(url);
  });

  function db(): pg.Client {
    if (!client) throw new Error('beforeAll did not connect');
    return client;
  }

  it('applies every migration once, in order, and records it', async () => {
    const names = await migrationNames();
    expect(firstRun).toEqual(names);

    expect(await applyMigrations({ connectionString: url, migrationsDir })).toEqual([]);

    const recorded = await db().query<{ migration_name: string }>(
      'SELECT migration_name FROM _prisma_migrations ' +
        'WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL ORDER BY migration_name',
    );
    expect(recorded.rows.map((row) => row.migration_name)).toEqual(names);
  });

  it('creates Message with one row per (channel, dedupeKey)', async () => {
    const indexes = await db().query<{ indexdef: string }>(
      `SELECT indexdef FROM pg_indexes WHERE schemaname = 'public' AND tablename = 'Message'`,
    );
    expect(indexes.rows.map((row) => row.indexdef)).toContainEqual(
      expect.stringMatching(/^CREATE UNIQUE INDEX \S+ ON public\."Message" USING btree \(channel, "dedupeKey"\)$/),
    );

    const insert =
      'INSERT INTO "Message" (channel, direction, status, "dedupeKey") ' +
      "VALUES ('TELEGRAM', 'INBOUND', 'RECEIVED', 'update-1')";
    await db().query(insert);
    await expect(db().query(insert)).rejects.toMatchObject({ code: '23505' });
  });
});
