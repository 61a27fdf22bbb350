import { z } from 'zod';
import { DeviceKind } from '../../generated/prisma/enums.js';
import type { Db } from '../db.js';
import { prismaRunner } from '../db/prismaRunner.js';
import { parseRows, sql, type Statement } from '../db/sql.js';

/** A period (`from` included, `to` excluded) and, optionally, one association. */
export interface ImpactPeriod {
  from: Date;
  to: Date;
  associationId: string | null;
}

async function rowsOf<T>(db: Db, schema: z.ZodType<T, z.ZodTypeDef, unknown>, statement: Statement): Promise<T[]> {
  const [rows = []] = await prismaRunner(db).queryAll([statement]);
  return parseRows(schema, rows);
}

const ofRequestAssociation = (associationId: string | null) =>
  associationId ? sql`AND r."associationId" = ${associationId}::uuid` : sql``;

const handedOverRow = z.object({ kind: z.nativeEnum(DeviceKind), count: z.bigint() });

/** Devices handed over in the period, by kind. */
export function handedOverByKind(db: Db, period: ImpactPeriod) {
  return rowsOf(
    db,
    handedOverRow,
    sql`
      SELECT d.kind, count(*) AS count
      FROM "Allocation" a JOIN "Device" d ON d.id = a."deviceId" JOIN "Request" r ON r.id = a."requestId"
      WHERE a.status = 'HANDED_OVER' AND a."handedOverAt" >= ${period.from} AND a."handedOverAt" < ${period.to}
        ${ofRequestAssociation(period.associationId)}
      GROUP BY d.kind`,
  );
}

const countRow = z.object({ count: z.bigint() });

/** Distinct people who received a device in the period (their requests, once the person is erased). */
export async function peopleEquipped(db: Db, period: ImpactPeriod): Promise<number> {
  const [row] = await rowsOf(
    db,
    countRow,
    sql`
      SELECT count(DISTINCT coalesce(r."contactId"::text, r.id::text)) AS count
      FROM "Allocation" a JOIN "Request" r ON r.id = a."requestId"
      WHERE a.status = 'HANDED_OVER' AND a."handedOverAt" >= ${period.from} AND a."handedOverAt" < ${period.to}
        ${ofRequestAssociation(period.associationId)}`,
  );
  return Number(row?.count ?? 0);
}

const donatedRow = z.object({ collected: z.bigint(), erased: z.bigint(), imported: z.bigint() });

/**
 * Donated devices collected and wiped in the period: `device.collected` and `device.erased`
 * audit events, and devices imported with an erasure certificate (and no such event).
 */
export async function donatedDevices(
  db: Db,
  period: ImpactPeriod,
): Promise<{ collected: number; erased: number; imported: number }> {
  const { from, to, associationId } = period;
  const byAssociation = associationId
    ? sql`AND (d."associationId" = ${associationId}::uuid OR p."associationId" = ${associationId}::uuid)`
    : sql``;
  const [row] = await rowsOf(
    db,
    donatedRow,
    sql`
      SELECT
        count(*) FILTER (WHERE e.action = 'device.collected') AS collected,
        count(*) FILTER (WHERE e.action = 'device.erased') AS erased,
        (SELECT count(*) FROM "Device" d LEFT JOIN "Pledge" p ON p.id = d."pledgeId"
          WHERE d."erasureCertificate" IS NOT NULL AND d."createdAt" >= ${from} AND d."createdAt" < ${to}
          ${byAssociation}
          AND NOT EXISTS (SELECT 1 FROM "AuditEvent" x
                          WHERE x."entityType" = 'Device' AND x."entityId" = d.id::text AND x.action = 'device.erased')
        ) AS imported
      FROM "AuditEvent" e JOIN "Device" d ON d.id::text = e."entityId" LEFT JOIN "Pledge" p ON p.id = d."pledgeId"
      WHERE e."entityType" = 'Device' AND e.action IN ('device.collected', 'device.erased')
        AND e.at >= ${from} AND e.at < ${to} ${byAssociation}`,
  );
  return {
    collected: Number(row?.collected ?? 0),
    erased: Number(row?.erased ?? 0),
    imported: Number(row?.imported ?? 0),
  };
}
