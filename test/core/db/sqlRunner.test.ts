import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pgTransaction, prepared, sql } from '../../../src/core/db/sqlRunner.js';
import { createTestDatabase, type TestDatabase } from '../../support/testDatabase.js';

let database: TestDatabase;
let pool: pg.Pool;
beforeAll(async () => {
  database = await createTestDatabase('sql_runner');
  pool = new pg.Pool({ connectionString: database.url, max: 3 });
  await pool.query('CREATE TABLE t (id int PRIMARY KEY, txt text, doc jsonb, at timestamp(3))');
});
afterAll(async () => {
  await pool?.end();
  await database?.drop();
});

/** Counts the trips a transaction makes to Postgres. */
async function counted<T>(
  run: (tx: ReturnType<typeof pgTransaction>) => Promise<T>,
): Promise<{ result: T; trips: number }> {
  const client = await pool.connect();
  const original = client.query.bind(client);
  let trips = 0;
  client.query = ((...args: Parameters<typeof original>) => {
    trips += 1;
    return original(...args);
  }) as typeof client.query;
  try {
    const tx = pgTransaction(client);
    const result = await run(tx).catch(async (error: unknown) => {
      await tx.rollback();
      throw error;
    });
    return { result, trips };
  } finally {
    client.query = original;
    client.release();
  }
}

const NASTY = `it's a "test" \\ with \\' backslashes, -- comments, /* */, $1, $$dollar$$, é, مرحبا, 😀, \n newline`;

describe('pg transaction of the inbound fast path', () => {
  it('sends BEGIN with the first statements and COMMIT with the last: two trips, values intact', async () => {
    const at = new Date('2026-11-24T10:11:12.345Z');
    // (jsonb itself refuses \u0000, inlined or not)
    const doc = JSON.stringify({ text: NASTY, control: '\u0001\u001f' });
    const { result, trips } = await counted(async (tx) => {
      const [inserted = [], read = []] = await tx.queryAll([
        sql`INSERT INTO t (id, txt, doc, at) VALUES (${1}, ${NASTY}, ${doc}::jsonb, ${at}) RETURNING id`,
        sql`SELECT txt, doc, at FROM t WHERE id = ${1}`,
      ]);
      await tx.queryAll([sql`UPDATE t SET txt = ${`${NASTY}!`} WHERE id = ${1} AND ${true} RETURNING 1`], {
        commit: true,
      });
      await tx.commit();
      return { inserted, read };
    });
    expect(trips).toBe(2);
    expect(result.inserted).toEqual([{ id: 1 }]);
    expect(result.read).toEqual([{ txt: NASTY, doc: { text: NASTY, control: '\u0001\u001f' }, at }]);
    const stored = await pool.query('SELECT txt, at = $1::timestamp AS "sameInstant" FROM t WHERE id = 1', [
      '2026-11-24 10:11:12.345',
    ]);
    expect(stored.rows).toEqual([{ txt: `${NASTY}!`, sameInstant: true }]);
  });

  it('a text with NUL is never inlined: it goes as a parameter, and Postgres refuses it as usual', async () => {
    const { result } = await counted(async (tx) => {
      const error = await tx
        .queryAll([sql`INSERT INTO t (id, txt) VALUES (${2}, ${'a\u0000b'}) RETURNING id`])
        .catch((e: unknown) => e);
      await tx.rollback();
      return error;
    });
    expect(result).toBeInstanceOf(Error);
    expect(String((result as { code?: string }).code)).toBe('22021');
    expect((await pool.query('SELECT count(*)::int AS n FROM t WHERE id = 2')).rows).toEqual([{ n: 0 }]);
  });

  it('a failed batch is rolled back, nothing of it stays', async () => {
    await counted(async (tx) => {
      const failed = await tx
        .queryAll([sql`INSERT INTO t (id, txt) VALUES (${3}, ${'kept?'}) RETURNING id`, sql`SELECT 1 / ${0}`])
        .catch((e: unknown) => e);
      expect(failed).toBeInstanceOf(Error);
      await tx.rollback();
    });
    expect((await pool.query('SELECT count(*)::int AS n FROM t WHERE id = 3')).rows).toEqual([{ n: 0 }]);
    // the connection is usable again
    expect((await pool.query('SELECT 1 AS ok')).rows).toEqual([{ ok: 1 }]);
  });

  it(
    'each statement of a batch sees what committed while ' + 'it waited for a lock (fresh snapshot per statement)',
    async () => {
      await pool.query(`INSERT INTO t (id, txt) VALUES (4, 'before')`);
      const holder = await pool.connect();
      await holder.query('BEGIN');
      await holder.query(`SELECT * FROM t WHERE id = 4 FOR UPDATE`);
      const waiting = counted(async (tx) => {
        const [, read = []] = await tx.queryAll([
          sql`SELECT id FROM t WHERE id = ${4} FOR UPDATE`,
          sql`SELECT txt FROM t WHERE id = ${4}`,
        ]);
        await tx.commit();
        return read;
      });
      await new Promise((resolve) => setTimeout(resolve, 200));
      await holder.query(`UPDATE t SET txt = 'after' WHERE id = 4`);
      await holder.query('COMMIT');
      holder.release();
      expect((await waiting).result).toEqual([{ txt: 'after' }]);
    },
  );

  it('a prepared statement is parsed once per connection, then executed by name in later transactions', async () => {
    const client = await pool.connect();
    try {
      const read = (id: number) => prepared('test_read_t')`SELECT txt FROM t WHERE id = ${id}`;
      await client.query(`INSERT INTO t (id, txt) VALUES (10, 'ten'), (11, 'eleven')`);
      for (const id of [10, 11]) {
        const tx = pgTransaction(client);
        const [rows = []] = await tx.queryAll([read(id)], { commit: true });
        expect(rows).toEqual([{ txt: id === 10 ? 'ten' : 'eleven' }]);
      }
      const held = await client.query(`SELECT name FROM pg_prepared_statements`);
      expect(held.rows).toEqual([{ name: 'test_read_t' }]);
    } finally {
      client.release(true);
    }
  });

  it(
    'without prepared statements (behind PgBouncer in transaction ' + 'mode) the same statement runs as plain text',
    async () => {
      const client = await pool.connect();
      try {
        const tx = pgTransaction(client, { prepare: false });
        const [rows = []] = await tx.queryAll([prepared('test_read_plain')`SELECT ${'plain'}::text AS txt`], {
          commit: true,
        });
        expect(rows).toEqual([{ txt: 'plain' }]);
        expect((await client.query(`SELECT count(*)::int AS n FROM pg_prepared_statements`)).rows).toEqual([{ n: 0 }]);
      } finally {
        client.release(true);
      }
    },
  );

  it('a failed trip that prepared statements asks for its connection to be discarded', async () => {
    const client = await pool.connect();
    const tx = pgTransaction(client);
    const failed = await tx.queryAll([prepared('test_fail_t')`SELECT 1 / ${0}`]).catch((e: unknown) => e);
    expect(failed).toBeInstanceOf(Error);
    await tx.rollback();
    expect(tx.discard).toBe(true);
    client.release(true);
  });

  it('a connection whose prepared statements were dropped behind its back is discarded, not reused', async () => {
    const client = await pool.connect();
    try {
      await pgTransaction(client).queryAll([prepared('test_dropped')`SELECT ${1}::int AS one`], { commit: true });
      await client.query('DEALLOCATE ALL');
      const tx = pgTransaction(client);
      const failed = await tx.queryAll([prepared('test_dropped')`SELECT ${1}::int AS one`]).catch((e: unknown) => e);
      expect((failed as { code?: string }).code).toBe('26000');
      await tx.rollback();
      expect(tx.discard).toBe(true);
    } finally {
      client.release(true);
    }
  });

  it('a deferred write goes with the next trip, or with the commit, and is dropped by a rollback', async () => {
    const { trips } = await counted(async (tx) => {
      await tx.defer(sql`INSERT INTO t (id, txt) VALUES (${20}, ${'deferred'})`);
      const [rows = []] = await tx.queryAll([sql`SELECT txt FROM t WHERE id = ${20}`]);
      expect(rows).toEqual([{ txt: 'deferred' }]);
      await tx.defer(sql`UPDATE t SET txt = ${'at commit'} WHERE id = ${20}`);
      await tx.commit();
    });
    expect(trips).toBe(2);
    expect((await pool.query('SELECT txt FROM t WHERE id = 20')).rows).toEqual([{ txt: 'at commit' }]);
    await counted(async (tx) => {
      await tx.queryAll([sql`SELECT 1`]);
      await tx.defer(sql`INSERT INTO t (id, txt) VALUES (${21}, ${'never'})`);
      await tx.rollback();
    });
    expect((await pool.query('SELECT count(*)::int AS n FROM t WHERE id = 21')).rows).toEqual([{ n: 0 }]);
  });

  it('wait limits hold for the transaction only, and stop a wait on a lock another transaction holds', async () => {
    await pool.query('INSERT INTO t (id, txt) VALUES (30, $1)', ['locked']);
    const client = await pool.connect();
    const holder = await pool.connect();
    try {
      await holder.query('BEGIN');
      await holder.query('SELECT id FROM t WHERE id = 30 FOR UPDATE');
      const tx = pgTransaction(client, { timeouts: { lockMs: 300, statementMs: 5000 } });
      const [limits = []] = await tx.queryAll([
        sql`SELECT current_setting('lock_timeout') AS lock, current_setting('statement_timeout') AS statement`,
      ]);
      expect(limits).toEqual([{ lock: '300ms', statement: '5s' }]);
      const started = Date.now();
      const waiting = tx.queryAll([sql`SELECT id FROM t WHERE id = ${30} FOR UPDATE`]);
      await expect(waiting).rejects.toMatchObject({ code: '55P03' });
      expect(Date.now() - started).toBeLessThan(2000);
      await tx.rollback();
      // SET LOCAL: the pooled connection is back to the server's defaults
      expect((await client.query("SELECT current_setting('lock_timeout') AS lock")).rows).toEqual([{ lock: '0' }]);
    } finally {
      await holder.query('ROLLBACK');
      holder.release();
      client.release();
    }
  });
});
