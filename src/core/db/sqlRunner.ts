import pg from 'pg';
import type { Tx } from '../db.js';

/**
 * Runs a tagged-template SQL statement and returns its rows. Implemented over a Prisma
 * transaction or over a bare node-postgres client, so the same statements serve both the
 * inbound fast path and the transactions that also run domain commands.
 */
export interface SqlRunner {
  query<T>(strings: TemplateStringsArray, ...values: unknown[]): Promise<T[]>;
}

export function prismaRunner(tx: Tx): SqlRunner {
  return { query: <T>(strings: TemplateStringsArray, ...values: unknown[]) => tx.$queryRaw<T[]>(strings, ...values) };
}

// Prisma stores DateTime as `timestamp(3)` holding UTC; node-postgres would read such a value
// as local time and write a Date with the local offset. Keep both sides in UTC, like Prisma.
const TIMESTAMP_OID = 1114;
const utcTypes = {
  getTypeParser: (oid: number, format?: 'text' | 'binary') =>
    oid === TIMESTAMP_OID ? (value: string) => new Date(`${value.replace(' ', 'T')}Z`) : pg.types.getTypeParser(oid, format),
};

export function pgRunner(client: pg.PoolClient): SqlRunner {
  return {
    async query<T>(strings: TemplateStringsArray, ...values: unknown[]): Promise<T[]> {
      const text = strings.reduce((sql, part, i) => `${sql}$${i}${part}`);
      const params = values.map((v) => (v instanceof Date ? v.toISOString() : v));
      const result = await client.query({ text, values: params, types: utcTypes });
      // the caller names the row shape of its own statement, as with Prisma's $queryRaw<T>
      return result.rows as T[];
    },
  };
}
