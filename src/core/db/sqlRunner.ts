import pg from 'pg';
import type { Tx } from '../db.js';

/** One tagged-template statement, kept for sending later (possibly with others in one trip). */
export interface Statement {
  strings: TemplateStringsArray;
  values: unknown[];
}

export const sql = (strings: TemplateStringsArray, ...values: unknown[]): Statement => ({ strings, values });

/**
 * Runs tagged-template SQL statements and returns their rows. Implemented over a Prisma
 * transaction or over a bare node-postgres client, so the same statements serve both the
 * inbound fast path and the transactions that also run domain commands.
 */
export interface SqlRunner {
  query<T>(strings: TemplateStringsArray, ...values: unknown[]): Promise<T[]>;
  /**
   * Several statements, in order, each seeing what the previous ones committed or locked (a
   * fresh snapshot each, as in READ COMMITTED); the rows of each. `commit: true` ends the
   * transaction with them when the runner owns it (the fast path), and is ignored otherwise.
   */
  queryAll(statements: Statement[], options?: { commit?: boolean }): Promise<unknown[][]>;
}

export function prismaRunner(tx: Tx): SqlRunner {
  return {
    query: <T>(strings: TemplateStringsArray, ...values: unknown[]) => tx.$queryRaw<T[]>(strings, ...values),
    async queryAll(statements) {
      const results: unknown[][] = [];
      for (const s of statements) results.push(await tx.$queryRaw<unknown[]>(s.strings, ...s.values));
      return results;
    },
  };
}

// Prisma stores DateTime as `timestamp(3)` holding UTC; node-postgres would read such a value
// as local time and write a Date with the local offset. Keep both sides in UTC, like Prisma.
const TIMESTAMP_OID = 1114;
const utcTypes = {
  getTypeParser: (oid: number, format?: 'text' | 'binary') =>
    oid === TIMESTAMP_OID ? (value: string) => new Date(`${value.replace(' ', 'T')}Z`) : pg.types.getTypeParser(oid, format),
};

const toParam = (v: unknown) => (v instanceof Date ? v.toISOString() : v);

/** A pg client whose transaction the runner owns: BEGIN goes with the first statement, COMMIT with the last. */
export interface OwnedTransaction extends SqlRunner {
  /** commits unless a `commit: true` batch already did (then a no-op) */
  commit(): Promise<void>;
  rollback(): Promise<void>;
}

/**
 * The fast path's runner. Every round trip to Postgres costs a context switch to its backend
 * on the same cores (the profile put ~30 % of the CPU in socket writes), so a turn is sent in
 * two trips instead of five: `BEGIN; <store and lock>; <read conversation>`, then
 * `<write turn>; COMMIT`. Several statements in one trip need Postgres' simple-query protocol,
 * which has no parameters: values are inlined as literals escaped by node-postgres
 * (`escapeLiteral`; JSON is inlined as its text, where control characters are escaped). A
 * value that cannot be inlined safely (a string with NUL) makes the batch fall back to one
 * parameterized statement per trip, where Postgres refuses it as usual.
 */
export function pgTransaction(client: pg.PoolClient): OwnedTransaction {
  let begun = false;
  let committed = false;
  const inline = (s: Statement): string | undefined => {
    let text = s.strings[0] ?? '';
    for (let i = 0; i < s.values.length; i++) {
      const literal = literalOf(client, s.values[i]);
      if (literal === undefined) return undefined;
      text += literal + (s.strings[i + 1] ?? '');
    }
    return text;
  };
  const parameterized = async (s: Statement): Promise<unknown[]> => {
    const text = s.strings.reduce((out, part, i) => `${out}$${i}${part}`);
    const result = await client.query({ text, values: s.values.map(toParam), types: utcTypes });
    return result.rows;
  };
  const runner: OwnedTransaction = {
    async query<T>(strings: TemplateStringsArray, ...values: unknown[]): Promise<T[]> {
      const [rows = []] = await runner.queryAll([{ strings, values }]);
      // the caller names the row shape of its own statement, as with Prisma's $queryRaw<T>
      return rows as T[];
    },
    async queryAll(statements, options = {}) {
      if (committed) throw new Error('transaction already committed');
      const commit = options.commit === true;
      const texts = statements.map(inline);
      const batchable = texts.every((t): t is string => t !== undefined);
      if (!batchable || (statements.length === 1 && !commit && begun)) {
        // one statement in an open transaction: the extended protocol, with real parameters
        if (!begun) await client.query('BEGIN');
        begun = true;
        const results: unknown[][] = [];
        for (const s of statements) results.push(await parameterized(s));
        if (commit) {
          await client.query('COMMIT');
          committed = true;
        }
        return results;
      }
      const parts = [...(begun ? [] : ['BEGIN']), ...texts, ...(commit ? ['COMMIT'] : [])];
      // from here on a failure leaves a transaction to roll back
      begun = true;
      const raw: unknown = await client.query({ text: parts.join(';\n'), types: utcTypes });
      if (commit) committed = true;
      const results = (Array.isArray(raw) ? raw : [raw]) as pg.QueryResult[];
      // drop the BEGIN's and COMMIT's (empty) results
      return results.slice(parts[0] === 'BEGIN' ? 1 : 0, (parts[0] === 'BEGIN' ? 1 : 0) + texts.length).map((r) => r.rows as unknown[]);
    },
    async commit() {
      if (committed || !begun) {
        committed = true;
        return;
      }
      await client.query('COMMIT');
      committed = true;
    },
    async rollback() {
      if (committed || !begun) return;
      await client.query('ROLLBACK');
    },
  };
  return runner;
}

/** A value as a SQL literal, or undefined when it cannot be inlined safely. */
function literalOf(client: pg.PoolClient, value: unknown): string | undefined {
  if (value === null || value === undefined) return 'NULL';
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : undefined;
  if (typeof value === 'bigint') return value.toString();
  // Prisma's DateTime columns are `timestamp(3)` holding UTC: the ISO text's Z is dropped by the cast
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? undefined : `${client.escapeLiteral(value.toISOString())}::timestamp`;
  if (typeof value === 'string') return value.includes('\u0000') ? undefined : client.escapeLiteral(value);
  return undefined;
}
