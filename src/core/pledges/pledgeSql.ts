import { z } from 'zod';
import type { Tx } from '../db.js';
import { prismaRunner } from '../db/prismaRunner.js';
import { firstRow, sql, type Statement } from '../db/sql.js';

async function firstOf<T>(
  tx: Tx,
  schema: z.ZodType<T, z.ZodTypeDef, unknown>,
  statement: Statement,
): Promise<T | undefined> {
  const [rows = []] = await prismaRunner(tx).queryAll([statement]);
  return firstRow(schema, rows);
}

const nextRow = z.object({ next: z.bigint() });

/** Draws the next pledge number from the `Pledge.number` sequence. */
export async function drawPledgeNumber(tx: Tx): Promise<number> {
  const row = await firstOf(tx, nextRow, sql`SELECT nextval(pg_get_serial_sequence('"Pledge"', 'number')) AS next`);
  return Number(row?.next ?? 0n);
}

const idRow = z.object({ id: z.string() });

/** Locks a pledge's row until the transaction ends. */
export async function lockPledge(tx: Tx, pledgeId: string): Promise<void> {
  await prismaRunner(tx).queryAll([sql`SELECT id FROM "Pledge" WHERE id = ${pledgeId}::uuid FOR UPDATE`]);
}

/**
 * The oldest paid "suspended phone" sponsorship not fulfilled yet, locked; FOR UPDATE SKIP
 * LOCKED keeps two hand-overs at once from taking the same one. Undefined when there is none.
 */
export async function lockOldestOpenSponsorship(tx: Tx): Promise<string | undefined> {
  const row = await firstOf(
    tx,
    idRow,
    sql`
    SELECT id FROM "Pledge" WHERE kind = 'SPONSORSHIP' AND status = 'COLLECTED'
    ORDER BY "collectedAt" ASC NULLS LAST, number ASC LIMIT 1 FOR UPDATE SKIP LOCKED`,
  );
  return row?.id;
}
