import pg from 'pg';
import { queryOver, type SqlRunner } from './prismaRunner.js';
import { placeholders, type Statement } from './sql.js';

export { firstRow, parseRows, prepared, sql, type Statement } from './sql.js';
export { prismaRunner, queryOver, type SqlRunner } from './prismaRunner.js';

/** The prepared statements each live connection holds (a connection is a pg Client object). */
const preparedOn = new WeakMap<pg.ClientBase, Set<string>>();

// Prisma stores DateTime as `timestamp(3)` holding UTC; node-postgres would read such a value
// as local time and write a Date with the local offset. Keep both sides in UTC, like Prisma.
const TIMESTAMP_OID = 1114;
const utcTypes = {
  getTypeParser: (oid: number, format?: 'text' | 'binary') =>
    oid === TIMESTAMP_OID
      ? (value: string) => new Date(`${value.replace(' ', 'T')}Z`)
      : pg.types.getTypeParser(oid, format),
};

const toParam = (v: unknown) => (v instanceof Date ? v.toISOString() : v);

/** Where statements run one at a time, each in a transaction of its own: the pool (or one of its clients). */
export type Queryable = Pick<pg.Pool, 'query'>;

/**
 * Runs one statement on the pool, outside any transaction (one round trip, real parameters):
 * its rows and how many rows it wrote or returned. The outbox and the web chat run this way.
 */
export async function runStatement(
  db: Queryable,
  statement: Statement,
): Promise<{ rows: unknown[]; rowCount: number }> {
  const result = await db.query({
    text: placeholders(statement.strings),
    values: statement.values.map(toParam),
    types: utcTypes,
  });
  return { rows: result.rows, rowCount: result.rowCount ?? 0 };
}

/** A pg client whose transaction the runner owns: BEGIN goes with the first statement, COMMIT with the last. */
export interface OwnedTransaction extends SqlRunner {
  /** commits unless a `commit: true` batch already did (then a no-op) */
  commit(): Promise<void>;
  rollback(): Promise<void>;
  /**
   * True when the connection must not go back to the pool: a trip that prepared statements
   * failed, so which of them Postgres now holds is unknown (PREPARE outlives a rollback).
   */
  readonly discard: boolean;
}

/**
 * The fast path's runner. Every round trip to Postgres costs a context switch to its backend
 * on the same cores (docs/BENCHMARKS.md), so a turn is sent in two trips instead of five:
 * `BEGIN; <store and lock>; <read conversation>`, then
 * `<write turn>; COMMIT`. Several statements in one trip need Postgres' simple-query protocol,
 * which has no parameters: values are inlined as literals escaped by node-postgres
 * (`escapeLiteral`; JSON is inlined as its text, where control characters are escaped). A
 * value that cannot be inlined safely (a string with NUL) makes the batch fall back to one
 * parameterized statement per trip, where Postgres refuses it as usual.
 */
export function pgTransaction(
  client: pg.PoolClient,
  options: { prepare?: boolean; timeouts?: WaitLimits } = {},
): OwnedTransaction {
  // off behind a pooler that hands each transaction another server connection (PgBouncer in
  // transaction mode), where a statement prepared in one transaction is missing in the next
  const prepare = options.prepare ?? true;
  // BEGIN and, in the same trip, the transaction's wait limits
  const opening = ['BEGIN', ...(options.timeouts ? limitStatements(options.timeouts) : [])];
  let begun = false;
  let committed = false;
  let discard = false;
  /** deferred writes, sent at the head of the next trip */
  let deferred: Statement[] = [];
  const held = preparedOn.get(client) ?? new Set<string>();
  preparedOn.set(client, held);
  const inline = (s: Statement): string | undefined => {
    const literals: string[] = [];
    for (const value of s.values) {
      const literal = literalOf(client, value);
      if (literal === undefined) return undefined;
      literals.push(literal);
    }
    if (s.name && prepare) return `EXECUTE ${s.name}(${literals.join(', ')})`;
    return s.strings.reduce((out, part, i) => out + (literals[i - 1] ?? '') + part);
  };
  const parameterized = async (s: Statement): Promise<unknown[]> => {
    const text = placeholders(s.strings);
    const result = await client.query({ text, values: s.values.map(toParam), types: utcTypes });
    return result.rows;
  };
  const runner: OwnedTransaction = {
    query: queryOver((statements, options) => runner.queryAll(statements, options)),
    async queryAll(requested, options = {}) {
      if (committed) throw new Error('transaction already committed');
      const commit = options.commit === true;
      const statements = [...deferred, ...requested];
      const skip = deferred.length;
      deferred = [];
      const texts = statements.map(inline);
      const batchable = texts.every((t): t is string => t !== undefined);
      if (!batchable || (statements.length === 1 && !commit && begun && !(prepare && statements[0]?.name))) {
        // one statement in an open transaction: the extended protocol, with real parameters
        if (!begun) await client.query(opening.join(';\n'));
        begun = true;
        const results: unknown[][] = [];
        for (const s of statements) results.push(await parameterized(s));
        if (commit) {
          await client.query('COMMIT');
          committed = true;
        }
        return results.slice(skip);
      }
      // first use of a hot statement on this connection: prepare it in the same trip (before
      // BEGIN; a PREPARE is not undone by a rollback, so a failed trip discards the connection)
      const toPrepare = new Map<string, Statement>();
      for (const s of statements) if (prepare && s.name && !held.has(s.name)) toPrepare.set(s.name, s);
      const prepares = [...toPrepare].map(([name, s]) => `PREPARE ${name} AS ${placeholders(s.strings)}`);
      const head = [...prepares, ...(begun ? [] : opening)];
      const parts = [...head, ...texts, ...(commit ? ['COMMIT'] : [])];
      // from here on a failure leaves a transaction to roll back
      begun = true;
      let raw: unknown;
      try {
        raw = await client.query({ text: parts.join(';\n'), types: utcTypes });
      } catch (error) {
        // 26000: a statement this connection was known to hold is gone (someone ran DEALLOCATE)
        if (prepares.length > 0 || (error as { code?: unknown }).code === '26000') discard = true;
        throw error;
      }
      for (const name of toPrepare.keys()) held.add(name);
      if (commit) committed = true;
      const results = (Array.isArray(raw) ? raw : [raw]) as pg.QueryResult[];
      // drop the PREPARE's, BEGIN's, SET's, deferred writes' and COMMIT's results
      return results.slice(head.length + skip, head.length + texts.length).map((r): unknown[] => r.rows);
    },
    async defer(statement) {
      if (committed) throw new Error('transaction already committed');
      deferred.push(statement);
    },
    claim: () => true,
    async commit() {
      if (deferred.length > 0) {
        await runner.queryAll([], { commit: true });
        return;
      }
      if (committed || !begun) {
        committed = true;
        return;
      }
      await client.query('COMMIT');
      committed = true;
    },
    async rollback() {
      deferred = [];
      if (committed || !begun) return;
      await client.query('ROLLBACK');
    },
    get discard() {
      return discard;
    },
  };
  return runner;
}

/**
 * How long one transaction's statements may wait: for a row lock another transaction holds
 * (lock_timeout, SQLSTATE 55P03) and in all (statement_timeout, 57014). Set with SET LOCAL,
 * so they end with the transaction and the pooled connection keeps the server's defaults.
 */
export interface WaitLimits {
  lockMs: number;
  statementMs: number;
}

/** A limit as Postgres takes it: whole milliseconds, at least 1 (0 would mean no limit). */
export const wholeMs = (value: number): string => String(Math.max(1, Math.floor(value)));

/** The SET LOCAL statements of `limits` (inlined: they are numbers of ours). */
export function limitStatements(limits: WaitLimits): string[] {
  return [
    `SET LOCAL lock_timeout = ${wholeMs(limits.lockMs)}`,
    `SET LOCAL statement_timeout = ${wholeMs(limits.statementMs)}`,
  ];
}

/** A value as a SQL literal, or undefined when it cannot be inlined safely. */
function literalOf(client: pg.PoolClient, value: unknown): string | undefined {
  if (value === null || value === undefined) return 'NULL';
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : undefined;
  if (typeof value === 'bigint') return value.toString();
  // Prisma's DateTime columns are `timestamp(3)` holding UTC: the ISO text's Z is dropped by the cast
  if (value instanceof Date)
    return Number.isNaN(value.getTime()) ? undefined : `${client.escapeLiteral(value.toISOString())}::timestamp`;
  if (typeof value === 'string') return value.includes('\u0000') ? undefined : client.escapeLiteral(value);
  return undefined;
}
