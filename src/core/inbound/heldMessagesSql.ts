import { z } from 'zod';
import type { Tx } from '../db.js';
import { parseRows } from '../db/sql.js';
import { sql as statement, type SqlRunner } from '../db/sqlRunner.js';
import { channels } from '../messages/messageTypes.js';
import { taskStatement } from '../queue/enqueueTask.js';
import { HELD_MARK, REPLAY_HELD_TASK } from './floodCheck.js';

// The statements of messages held by the flood limit (floodCheck.ts) and of their play-back
// (heldReplayTask.ts).

/**
 * Keeps a message for later: marks it held (stored, not processed) and, for the first one of
 * a series, schedules the play-back at the end of the window. Returns the task ids to hand
 * to the queue after the commit (the outbox sweep hands them over anyway).
 */
export async function holdMessage(
  sql: SqlRunner,
  input: { messageId: string; contactId: string; schedule: boolean; replayAt: Date },
): Promise<string[]> {
  await sql.defer(statement`UPDATE "Message" SET status = 'RECEIVED', "lastError" = ${HELD_MARK}
    WHERE id = ${input.messageId}::uuid AND direction = 'INBOUND'`);
  if (!input.schedule) return [];
  const task = taskStatement(REPLAY_HELD_TASK, { contactId: input.contactId }, input.replayAt);
  await sql.defer(task.statement);
  return [task.id];
}

/**
 * Played back, a held message is stored again as a new inbound message (see
 * `heldReplayTask.ts`); the held copy is removed in the same transaction, so the message is
 * kept exactly once whatever fails in between.
 */
export async function forgetHeldCopy(sql: SqlRunner, heldMessageId: string): Promise<void> {
  await sql.defer(statement`DELETE FROM "Message"
    WHERE id = ${heldMessageId}::uuid AND direction = 'INBOUND' AND status = 'RECEIVED'
      AND "lastError" = ${HELD_MARK}`);
}

const stateRow = z.object({ state: z.unknown() });
const heldRow = z.object({
  id: z.string(),
  channel: z.enum(channels),
  content: z.unknown(),
  addressCipher: z.string().nullable(),
});
export type HeldRow = z.infer<typeof heldRow>;

/** Locks the person and reads their conversation state (null: none). */
export async function lockPersonState(tx: Tx, contactId: string): Promise<unknown> {
  await tx.$queryRaw`SELECT 1 FROM "Contact" WHERE id = ${contactId}::uuid FOR UPDATE`;
  const rows = await tx.$queryRaw<unknown[]>`SELECT state FROM "Conversation" WHERE "contactId" = ${contactId}::uuid`;
  return parseRows(stateRow, rows)[0]?.state ?? null;
}

/** The person's oldest held messages, at most `limit`. */
export async function oldestHeld(tx: Tx, contactId: string, limit: number): Promise<HeldRow[]> {
  const rows = await tx.$queryRaw<unknown[]>`
    SELECT m.id, m.channel::text AS channel, m.content, i."addressCipher"
    FROM "Message" m LEFT JOIN "ChannelIdentity" i ON i.id = m."identityId"
    WHERE m."contactId" = ${contactId}::uuid AND m.direction = 'INBOUND' AND m.status = 'RECEIVED'
      AND m."lastError" = ${HELD_MARK}
    ORDER BY m.seq LIMIT ${limit}`;
  return parseRows(heldRow, rows);
}

/** No message of the person waits any more: their live messages go to the flows again. */
export async function clearHeldFlag(tx: Tx, contactId: string): Promise<void> {
  await tx.$executeRaw`UPDATE "Conversation" SET state = jsonb_set(state, '{flood,held}', 'false')
    WHERE "contactId" = ${contactId}::uuid AND state ? 'flood'`;
}
