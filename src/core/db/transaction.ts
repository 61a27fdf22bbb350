import type { Tx } from '../db.js';
import { prismaRunner, wholeMs, type SqlRunner, type WaitLimits } from './sqlRunner.js';

/** The two kinds of transaction a turn runs in (see docs/ARCHITECTURE.md, "The inbound path"). */
export type TransactionKind = 'sql' | 'prisma';

/**
 * The transaction a unit of work runs in. `sql`: a bare pg client of the pool (the inbound fast
 * path, possibly shared by a batch of turns), where only plain statements run; `prisma`: a
 * Prisma interactive transaction, where Prisma's query builder runs too. Statements go through
 * `sql` in both, so a `<domain>Sql.ts` function serves either.
 */
export type Transaction = { kind: 'sql'; sql: SqlRunner } | PrismaTransaction;
export interface PrismaTransaction {
  kind: 'prisma';
  sql: SqlRunner;
  tx: Tx;
}

/** A Prisma interactive transaction as a Transaction. */
export function prismaTransaction(tx: Tx): PrismaTransaction {
  return { kind: 'prisma', sql: prismaRunner(tx), tx };
}

/** A bare pg transaction (the fast path's runner) as a Transaction. */
export function sqlTransaction(sql: SqlRunner): Transaction {
  return { kind: 'sql', sql };
}

/** Bounds a Prisma transaction's waits as the fast path does with its BEGIN (lock_timeout, statement_timeout). */
export async function limitPrismaWaits(tx: Tx, limits: WaitLimits): Promise<void> {
  const lock = wholeMs(limits.lockMs);
  const statement = wholeMs(limits.statementMs);
  await tx.$queryRaw`SELECT set_config('lock_timeout', ${lock}, true),
    set_config('statement_timeout', ${statement}, true)`;
}
