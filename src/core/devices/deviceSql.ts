import { z } from 'zod';
import type { Tx } from '../db.js';
import { prismaRunner } from '../db/prismaRunner.js';
import { parseRows, sql } from '../db/sql.js';

const idRow = z.object({ id: z.string() });

/**
 * Moves the devices among `deviceIds` still IN_STOCK in association `from` to association `to`,
 * in one conditional UPDATE … RETURNING; returns the ids that moved.
 */
export async function moveDevicesInStock(
  tx: Tx,
  input: { deviceIds: readonly string[]; from: string; to: string },
): Promise<string[]> {
  const [rows = []] = await prismaRunner(tx).queryAll([
    sql`
    UPDATE "Device" SET "associationId" = ${input.to}::uuid, "updatedAt" = now()
    WHERE id = ANY(${input.deviceIds}::uuid[]) AND "associationId" = ${input.from}::uuid AND status = 'IN_STOCK'
    RETURNING id`,
  ]);
  return parseRows(idRow, rows).map((row) => row.id);
}
