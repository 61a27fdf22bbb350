import { z } from 'zod';
import type { Db } from '../db.js';
import { prismaRunner } from '../db/prismaRunner.js';
import { parseRows, sql } from '../db/sql.js';

const handedOverRow = z.object({ associationId: z.string(), kind: z.string(), count: z.bigint() });

/** Devices handed over since `since`, by association (of the device) and kind. */
export async function handedOverSince(
  db: Db,
  since: Date,
): Promise<Array<{ associationId: string; kind: string; count: number }>> {
  const [rows = []] = await prismaRunner(db).queryAll([
    sql`
      SELECT d."associationId"::text AS "associationId", d.kind::text AS kind, count(*) AS count
      FROM "Allocation" a JOIN "Device" d ON d.id = a."deviceId"
      WHERE a.status = 'HANDED_OVER' AND a."handedOverAt" >= ${since} AND d."associationId" IS NOT NULL
      GROUP BY 1, 2`,
  ]);
  return parseRows(handedOverRow, rows).map((row) => ({ ...row, count: Number(row.count) }));
}
