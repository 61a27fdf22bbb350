import { z } from 'zod';
import { QUEUES } from '../queue/queueConnection.js';
import { taskInsertStatement } from '../queue/taskSql.js';
import { firstRow, parseRows, runStatement, sql, type Queryable } from '../db/sqlRunner.js';
import { STAFF_ALERT_TASK } from '../staff/staffAlerts.js';
import { randomUUID } from 'node:crypto';

/**
 * The statements of a customer-service window (WhatsApp Cloud API: free-form messages only
 * within 24 h of the person's last message): when the person last wrote on this account, the
 * messages held outside the window, and their release when the person writes again.
 */
const contextRow = z.object({ lastInboundAt: z.date().nullable(), language: z.string().nullable() });
export type SendContextRow = z.infer<typeof contextRow>;

/** The person's last message on this account and their language. */
export async function sendContextOf(db: Queryable, identityId: string): Promise<SendContextRow> {
  const { rows } = await runStatement(
    db,
    sql`SELECT (SELECT max(m."createdAt") FROM "Message" m
              WHERE m."identityId" = i.id AND m.direction = 'INBOUND') AS "lastInboundAt",
            c.language
       FROM "ChannelIdentity" i JOIN "Contact" c ON c.id = i."contactId" WHERE i.id = ${identityId}::uuid`,
  );
  return firstRow(contextRow, rows) ?? { lastInboundAt: null, language: null };
}

const heldRow = z.object({ requestId: z.string().nullable() });

/**
 * Holds a pending message (no template fits it outside the window) and queues one staff
 * alert for it, in one statement each; only a message still PENDING is held. The alert names
 * the message's request, so Slack posts it in that request's thread.
 */
export async function holdMessage(db: Queryable, id: string, channel: string): Promise<boolean> {
  const held = await runStatement(
    db,
    sql`UPDATE "Message" SET status = 'HELD', "lastError" = 'held: outside the customer-service window'
      WHERE id = ${id}::uuid AND status IN ('PENDING', 'SENT')
      RETURNING "requestId"`,
  );
  const row = parseRows(heldRow, held.rows)[0];
  if (!row) return false;
  const task = { id: randomUUID(), queue: QUEUES.tasks, name: STAFF_ALERT_TASK, runAt: null };
  const data = { code: 'message_held_outside_window', channel, ...(row.requestId ? { requestId: row.requestId } : {}) };
  await runStatement(db, taskInsertStatement({ ...task, data }));
  return true;
}

const releasedRow = z.object({ id: z.string(), channel: z.string(), identityId: z.string().nullable() });

/** The person wrote again on `channel`: their held messages go back to the outbox, oldest first. */
export async function releaseHeld(
  db: Queryable,
  contactId: string,
  channel: string,
): Promise<Array<{ id: string; channel: string; identityId: string | null }>> {
  const { rows } = await runStatement(
    db,
    sql`UPDATE "Message" SET status = 'PENDING', "queuedAt" = NULL, "lastError" = NULL
      WHERE "contactId" = ${contactId}::uuid AND channel = ${channel}::"Channel" AND direction = 'OUTBOUND'
        AND status = 'HELD'
      RETURNING id, channel::text AS channel, "identityId"`,
  );
  return parseRows(releasedRow, rows);
}

export type PlatformStatus = 'sent' | 'delivered' | 'read' | 'failed';

/**
 * A status the platform reported for a message it took (by its platform id): delivered and
 * read times kept, a failure recorded with the platform's code. A status never moves a
 * message back (a late `sent` after `read` changes nothing).
 */
export async function recordPlatformStatus(
  db: Queryable,
  channel: string,
  platformMessageId: string,
  status: PlatformStatus,
  at: Date,
  errorCode?: string,
): Promise<number> {
  const id = sql`channel = ${channel}::"Channel" AND "platformMessageId" = ${platformMessageId}
    AND direction = 'OUTBOUND'`;
  const statement =
    status === 'delivered'
      ? sql`UPDATE "Message" SET "deliveredAt" = COALESCE("deliveredAt", ${at}::timestamp) WHERE ${id}`
      : status === 'read'
        ? sql`UPDATE "Message" SET "readAt" = COALESCE("readAt", ${at}::timestamp),
            "deliveredAt" = COALESCE("deliveredAt", ${at}::timestamp) WHERE ${id}`
        : status === 'failed'
          ? sql`UPDATE "Message" SET status = 'FAILED', "lastError" = ${`platform: ${errorCode ?? 'unknown'}`}
              WHERE ${id} AND "deliveredAt" IS NULL`
          : sql`UPDATE "Message" SET "sentAt" = COALESCE("sentAt", ${at}::timestamp) WHERE ${id}`;
  return (await runStatement(db, statement)).rowCount;
}

/**
 * The platform refused a message it had taken because the window had closed (WhatsApp's
 * 131047, reported in a status): it is held like one refused before the send, staff told.
 */
export async function holdSentMessage(db: Queryable, channel: string, platformMessageId: string): Promise<boolean> {
  const { rows } = await runStatement(
    db,
    sql`SELECT id FROM "Message" WHERE channel = ${channel}::"Channel" AND "platformMessageId" = ${platformMessageId}
      AND direction = 'OUTBOUND' LIMIT 1`,
  );
  const found = firstRow(z.object({ id: z.string() }), rows);
  return found ? holdMessage(db, found.id, channel) : false;
}
