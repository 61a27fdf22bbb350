import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createDb, createPool, type Db } from '../../../src/core/db.js';
import { firstRow, parseRows, prepared, sql } from '../../../src/core/db/sql.js';
import { pgTransaction, prismaRunner, runStatement } from '../../../src/core/db/sqlRunner.js';
import { createTestDatabase, type TestDatabase } from '../../support/testDatabase.js';

let database: TestDatabase;
let pool: ReturnType<typeof createPool>;
let db: Db;
beforeAll(async () => {
  database = await createTestDatabase('sql_template');
  const options = { url: database.url, poolMax: 2, connectTimeoutMs: 5000 };
  pool = createPool(options);
  db = createDb(options, pool);
});
afterAll(async () => {
  await db?.$disconnect();
  await pool?.end();
  await database?.drop();
});

const row = z.object({ a: z.number(), b: z.string().nullable(), c: z.string() });

describe('the sql template', () => {
  it('splices a statement given as a value in as SQL, its values numbered after the ones before it', () => {
    const clause = sql`AND x = ${'inner'} AND y = ${2}`;
    const statement = sql`SELECT ${1} ${clause} ${sql``} LIMIT ${3}`;
    expect(statement.strings.join('?')).toBe('SELECT ? AND x = ? AND y = ?  LIMIT ?');
    expect(statement.values).toEqual([1, 'inner', 2, 3]);
  });

  it('keeps a value that only looks like a statement a value', () => {
    const lookalike = { strings: ['DROP TABLE x'], values: [] };
    expect(sql`SELECT ${lookalike}`.values).toEqual([lookalike]);
  });

  it('runs the same spliced statement alike on the pool, in a Prisma transaction and on the fast path', async () => {
    const optional = (on: boolean) => (on ? sql`, ${'spliced'}::text AS c` : sql`, 'plain'::text AS c`);
    const statement = (on: boolean) => sql`SELECT ${41}::int + 1 AS a, ${null}::text AS b ${optional(on)}`;
    const onPool = parseRows(row, (await runStatement(pool, statement(true))).rows);
    const inPrisma = await db.$transaction(async (tx) =>
      parseRows(row, (await prismaRunner(tx).queryAll([statement(false)]))[0] ?? []),
    );
    const client = await pool.connect();
    try {
      const tx = pgTransaction(client, { prepare: true });
      const [rows = []] = await tx.queryAll(
        [prepared('test_spliced')`SELECT ${1}::int AS a, ${'x'}::text AS b ${optional(true)}`],
        { commit: true },
      );
      expect(firstRow(row, rows)).toEqual({ a: 1, b: 'x', c: 'spliced' });
    } finally {
      client.release();
    }
    expect(onPool).toEqual([{ a: 42, b: null, c: 'spliced' }]);
    expect(inPrisma).toEqual([{ a: 42, b: null, c: 'plain' }]);
  });

  it('refuses a row that is not the shape its statement promises', async () => {
    const { rows } = await runStatement(pool, sql`SELECT 'one'::text AS a, NULL AS b, 'c' AS c`);
    expect(() => parseRows(row, rows)).toThrow();
    expect(firstRow(row, [])).toBeUndefined();
  });

  it('counts the rows a write touched', async () => {
    const result = await runStatement(
      pool,
      sql`UPDATE "Message" SET attempts = attempts WHERE id = ANY (${[]}::uuid[])`,
    );
    expect(result.rowCount).toBe(0);
  });
});
