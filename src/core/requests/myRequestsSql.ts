import { z } from 'zod';
import { RequestKind, RequestStatus } from '../../generated/prisma/enums.js';
import type { SqlRunner } from '../db/prismaRunner.js';
import { parseRows, prepared } from '../db/sql.js';

export type MyRequestsExecutor = Pick<SqlRunner, 'queryAll'>;

const myRequestRow = z.object({
  id: z.string(),
  reference: z.string(),
  kind: z.nativeEnum(RequestKind),
  status: z.nativeEnum(RequestStatus),
  createdAt: z.date(),
  allocationAt: z.date().nullable(),
  allocationPlace: z.string().nullable(),
  reminderAt: z.date().nullable(),
  reminderPlace: z.string().nullable(),
});
export type MyRequestRow = z.infer<typeof myRequestRow>;

/**
 * The person's requests that are open or changed since `since`, newest first, at most `shown`,
 * each with its active allocation's coming appointment and its coming appointment reminder.
 */
export async function readMyRequests(
  runner: MyRequestsExecutor,
  input: { contactId: string; now: Date; since: Date; openStatuses: readonly string[]; shown: number },
): Promise<MyRequestRow[]> {
  const [rows = []] = await runner.queryAll([
    prepared('relais_my_requests')`
    SELECT r.id, r.reference, r.kind::text AS kind, r.status::text AS status, r."createdAt",
           a."appointmentAt" AS "allocationAt", a."appointmentPlace" AS "allocationPlace",
           f."appointmentAt" AS "reminderAt", f."appointmentPlace" AS "reminderPlace"
    FROM "Request" r
    LEFT JOIN LATERAL (
      SELECT "appointmentAt", "appointmentPlace" FROM "Allocation"
      WHERE "requestId" = r.id AND status = 'ACTIVE' AND "appointmentAt" >= ${input.now}::timestamp
      LIMIT 1
    ) a ON TRUE
    LEFT JOIN LATERAL (
      SELECT "appointmentAt", "appointmentPlace" FROM "FollowUp"
      WHERE "requestId" = r.id AND kind = 'APPOINTMENT_REMINDER' AND status IN ('SCHEDULED', 'SENT')
        AND "appointmentAt" >= ${input.now}::timestamp
      ORDER BY "appointmentAt" LIMIT 1
    ) f ON TRUE
    WHERE r."contactId" = ${input.contactId}::uuid
      AND (r.status::text = ANY (string_to_array(${input.openStatuses.join(',')}, ','))
           OR r."updatedAt" >= ${input.since}::timestamp)
    ORDER BY r."createdAt" DESC
    LIMIT ${input.shown}`,
  ]);
  return parseRows(myRequestRow, rows);
}
