import type { Tx } from './clients.js';
import { sql, type Statement } from './sql.js';

/** `query` of a runner, over its `queryAll`: the rows of one statement. */
export function queryOver(queryAll: SqlRunner['queryAll']): SqlRunner['query'] {
  return async (strings: TemplateStringsArray, ...values: unknown[]): Promise<unknown[]> => {
    const [rows = []] = await queryAll([sql(strings, ...values)]);
    return rows;
  };
}

/**
 * Runs tagged-template SQL statements and returns their rows. Implemented over a Prisma
 * transaction or over a bare node-postgres client, so the same statements serve both the
 * inbound fast path and the transactions that also run domain commands.
 */
export interface SqlRunner {
  /** the rows of one statement, to parse with `parseRows` */
  query(strings: TemplateStringsArray, ...values: unknown[]): Promise<unknown[]>;
  /**
   * Several statements, in order, each seeing what the previous ones committed or locked (a
   * fresh snapshot each, as in READ COMMITTED); the rows of each. `commit: true` ends the
   * transaction with them when the runner owns it (the fast path), and is ignored otherwise.
   */
  queryAll(statements: Statement[], options?: { commit?: boolean }): Promise<unknown[][]>;
  /**
   * A write whose rows nobody reads: the fast path sends it with the turn's next trip (or its
   * COMMIT), saving a round trip; a Prisma transaction runs it at once. Its error, if any,
   * surfaces at that trip and fails the transaction as usual.
   */
  defer(statement: Statement): Promise<void>;
  /**
   * Claims a person for this turn; false when another turn sharing the transaction (group
   * commit, see TurnBatcher) already has them: a person writing from two accounts at once.
   */
  claim(contactId: string): boolean;
}

export function prismaRunner(tx: Tx): SqlRunner {
  const runner: SqlRunner = {
    query: queryOver((statements) => runner.queryAll(statements)),
    async queryAll(statements) {
      const results: unknown[][] = [];
      for (const s of statements) results.push(await tx.$queryRaw<unknown[]>(s.strings, ...s.values));
      return results;
    },
    async defer(statement) {
      await runner.queryAll([statement]);
    },
    claim: () => true,
  };
  return runner;
}

/** Runs a statement whose result is no rows (or rows nobody reads) in a Prisma transaction; how many rows it wrote. */
export function prismaExecute(tx: Tx, statement: Statement): Promise<number> {
  return tx.$executeRaw(statement.strings, ...statement.values);
}
