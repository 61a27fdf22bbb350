import { z } from 'zod';
import { firstRow, parseRows, runStatement, sql, type Queryable } from '../db/sqlRunner.js';

/**
 * The outbox's reads and writes in plain SQL on the node-postgres pool: the delivery worker
 * and the dispatcher run them for every message, so neither needs Prisma (whose query compiler
 * costs a worker memory and CPU: docs/BENCHMARKS.md). Times are computed
 * in SQL (sessions run in UTC, like the `timestamp(3)` columns Prisma writes).
 */
export type { Queryable };

const outboundToSendRow = z.object({
  status: z.string(),
  /** bigint, as text */
  seq: z.string(),
  identityId: z.string().nullable(),
  content: z.unknown(),
  addressCipher: z.string().nullable(),
});
export type OutboundToSend = z.infer<typeof outboundToSendRow>;

export async function readOutbound(db: Queryable, id: string): Promise<OutboundToSend | undefined> {
  const { rows } = await runStatement(
    db,
    sql`SELECT m.status, m.seq::text AS seq, m."identityId", m.content, i."addressCipher"
     FROM "Message" m LEFT JOIN "ChannelIdentity" i ON i.id = m."identityId" WHERE m.id = ${id}::uuid`,
  );
  return firstRow(outboundToSendRow, rows);
}

/**
 * Whether the person has an older pending message outside this batch (it must go first). With
 * `conversationOnly`, an announcement's message pending for them does not count: a reply never
 * waits for it (the announcement lane waits for everything before it).
 */
export async function hasEarlierPending(
  db: Queryable,
  identityId: string,
  seq: string,
  batch: readonly string[],
  options: { conversationOnly?: boolean } = {},
): Promise<boolean> {
  const onlyConversation = options.conversationOnly ? sql`AND "announcementId" IS NULL` : sql``;
  const { rows } = await runStatement(
    db,
    sql`SELECT 1 FROM "Message"
     WHERE "identityId" = ${identityId}::uuid AND direction = 'OUTBOUND' AND status = 'PENDING'
       AND seq < ${seq}::bigint AND id <> ALL (${[...batch]}::uuid[]) ${onlyConversation}
     LIMIT 1`,
  );
  return rows.length > 0;
}

const statusRow = z.object({ status: z.string() });

export async function statusOf(db: Queryable, id: string): Promise<string | undefined> {
  const { rows } = await runStatement(db, sql`SELECT status FROM "Message" WHERE id = ${id}::uuid`);
  return firstRow(statusRow, rows)?.status;
}

/**
 * A sensitive message (OutboundContent.sensitive: a reconnection code) keeps its text only
 * until it has left: these SET clauses erase it, as the retention purge would.
 */
const ERASE_IF_SENSITIVE = sql`content = CASE WHEN content->>'sensitive' = 'true' THEN NULL ELSE content END,
  "contentPurgedAt" = CASE WHEN content->>'sensitive' = 'true' THEN clock_timestamp() ELSE "contentPurgedAt" END`;

/**
 * Records a delivery. `eraseSensitive`: the platform now holds the text (Telegram, WhatsApp),
 * so a sensitive message's text is erased here; the web chat keeps it until the page has
 * fetched it (eraseFetchedSensitive).
 */
export async function markSent(
  db: Queryable,
  id: string,
  platformMessageId: string | null,
  options: { eraseSensitive: boolean },
): Promise<void> {
  const erase = options.eraseSensitive ? sql`, ${ERASE_IF_SENSITIVE}` : sql``;
  await runStatement(
    db,
    sql`UPDATE "Message" SET status = 'SENT', "sentAt" = clock_timestamp(), attempts = attempts + 1,
      "platformMessageId" = ${platformMessageId}, "lastError" = NULL${erase} WHERE id = ${id}::uuid`,
  );
}

/**
 * Records a refusal for good (or a recipient gone): the message is FAILED, visible, not retried; a sensitive text is
 * erased.
 */
export async function failMessage(
  db: Queryable,
  id: string,
  lastError: string,
  options: { attempted: boolean },
): Promise<void> {
  await runStatement(
    db,
    sql`UPDATE "Message" SET status = 'FAILED', attempts = attempts + ${options.attempted ? 1 : 0},
      "lastError" = ${lastError.slice(0, 200)}, ${ERASE_IF_SENSITIVE} WHERE id = ${id}::uuid`,
  );
}

/**
 * Erases the sensitive messages a web chat page has fetched: sent to `identityId` for the
 * profile it shows (`contactId`: a previous person's code on a shared handset was not shown),
 * up to its cursor `seq`.
 */
export async function eraseFetchedSensitive(
  db: Queryable,
  to: { identityId: string; contactId: string },
  seq: bigint,
): Promise<number> {
  const result = await runStatement(
    db,
    sql`UPDATE "Message" SET ${ERASE_IF_SENSITIVE}
     WHERE "identityId" = ${to.identityId}::uuid AND "contactId" = ${to.contactId}::uuid
       AND direction = 'OUTBOUND' AND status = 'SENT' AND seq <= ${seq.toString()}::bigint
       AND "contentPurgedAt" IS NULL AND content->>'sensitive' = 'true'`,
  );
  return result.rowCount;
}

/** Records a failed attempt that will be retried. */
export async function recordAttemptError(db: Queryable, id: string, lastError: string): Promise<void> {
  await runStatement(
    db,
    sql`UPDATE "Message" SET attempts = attempts + 1, "lastError" = ${lastError.slice(0, 200)} WHERE id = ${id}::uuid`,
  );
}

/** Marks the still-pending messages among `ids` FAILED; returns how many. */
export async function failPending(db: Queryable, ids: readonly string[], lastError: string): Promise<number> {
  const result = await runStatement(
    db,
    sql`UPDATE "Message" SET status = 'FAILED', "lastError" = ${lastError.slice(0, 200)}, ${ERASE_IF_SENSITIVE}
      WHERE id = ANY (${ids}::uuid[]) AND status = 'PENDING'`,
  );
  return result.rowCount;
}

const undispatchedRow = z.object({ id: z.string(), channel: z.string(), identityId: z.string().nullable() });

/**
 * Pending outbound messages never handed over (older than 1 s) or handed over more than `staleMs` ago, oldest first.
 * An announcement's messages are not among them: its feeder hands them over (announcementFeeder.ts).
 */
export async function undispatchedMessages(
  db: Queryable,
  limit: number,
  staleMs: number,
): Promise<Array<{ id: string; channel: string; identityId: string | null }>> {
  const { rows } = await runStatement(
    db,
    sql`SELECT id, channel::text AS channel, "identityId" FROM "Message"
     WHERE direction = 'OUTBOUND' AND status = 'PENDING' AND "announcementId" IS NULL
       AND (("queuedAt" IS NULL AND "createdAt" < now() - interval '1 second')
         OR "queuedAt" < now() - make_interval(secs => ${staleMs}::double precision / 1000))
     ORDER BY seq LIMIT ${limit}`,
  );
  return parseRows(undispatchedRow, rows);
}

/** Sets (handed over now) or clears (to be handed over again) the queued mark. */
export async function setQueued(db: Queryable, ids: readonly string[], queued: boolean): Promise<void> {
  await runStatement(
    db,
    sql`UPDATE "Message" SET "queuedAt" = CASE WHEN ${queued}::boolean THEN now() END WHERE id = ANY (${ids}::uuid[])`,
  );
}

const pendingJobRow = z.object({
  id: z.string(),
  queue: z.string(),
  name: z.string(),
  data: z.record(z.unknown()),
  /** how long until its runAt, 0 if due */
  delayMs: z.number(),
});
export type PendingJob = z.infer<typeof pendingJobRow>;

const JOB_COLUMNS = sql`id, queue, name, data,
  GREATEST(0, ceil(EXTRACT(EPOCH FROM ("runAt" - now())) * 1000))::float8 AS "delayMs"`;

export async function pendingJobs(db: Queryable, ids: readonly string[]): Promise<PendingJob[]> {
  const { rows } = await runStatement(
    db,
    sql`SELECT ${JOB_COLUMNS}
     FROM "OutboxJob" WHERE id = ANY (${ids}::uuid[]) AND status = 'PENDING' ORDER BY "createdAt"`,
  );
  return parseRows(pendingJobRow, rows);
}

const idRow = z.object({ id: z.string() });

export async function oldestPendingJobIds(db: Queryable, limit: number): Promise<string[]> {
  const { rows } = await runStatement(
    db,
    sql`SELECT id FROM "OutboxJob" WHERE status = 'PENDING' ORDER BY "createdAt" LIMIT ${limit}`,
  );
  return parseRows(idRow, rows).map((r) => r.id);
}

/** Only rows still PENDING: a task can run (and be marked DONE) before its hand-over is recorded. */
export async function markJobsDispatched(db: Queryable, ids: readonly string[]): Promise<void> {
  await runStatement(
    db,
    sql`UPDATE "OutboxJob" SET status = 'DISPATCHED', "queuedAt" = now()
      WHERE id = ANY (${ids}::uuid[]) AND status = 'PENDING'`,
  );
}

/**
 * Handed-over tasks to look for in Redis. `staleMs` set: those due and not seen in BullMQ for
 * that long (a job waiting in a backlog or between retries is seen again, and its mark moved
 * on), oldest first; null: every one, delayed ones too (after Redis was found empty), by id after `afterId`.
 */
export async function dispatchedJobsToCheck(
  db: Queryable,
  options: { limit: number; staleMs: number | null; afterId?: string },
): Promise<PendingJob[]> {
  const { limit, staleMs } = options;
  const afterId = options.afterId ?? '00000000-0000-0000-0000-000000000000';
  // two statements, so each can use the (status, queuedAt) index: DONE rows pile up, DISPATCHED ones are few
  const { rows } =
    staleMs === null
      ? await runStatement(
          db,
          sql`SELECT ${JOB_COLUMNS} FROM "OutboxJob"
           WHERE status = 'DISPATCHED' AND "queuedAt" IS NOT NULL AND id > ${afterId}::uuid ORDER BY id LIMIT ${limit}`,
        )
      : await runStatement(
          db,
          sql`SELECT ${JOB_COLUMNS} FROM "OutboxJob"
           WHERE status = 'DISPATCHED' AND "queuedAt" < now() - make_interval(secs => ${staleMs}::float8 / 1000)
             AND "runAt" < now() - make_interval(secs => ${staleMs}::float8 / 1000)
           ORDER BY "queuedAt" LIMIT ${limit}`,
        );
  return parseRows(pendingJobRow, rows);
}

/** Marks tasks as seen in (or handed again to) BullMQ now; returns those still DISPATCHED. */
export async function touchDispatchedJobs(db: Queryable, ids: readonly string[]): Promise<string[]> {
  if (ids.length === 0) return [];
  const { rows } = await runStatement(
    db,
    sql`UPDATE "OutboxJob" SET "queuedAt" = now()
      WHERE id = ANY (${ids}::uuid[]) AND status = 'DISPATCHED' RETURNING id`,
  );
  return parseRows(idRow, rows).map((row) => row.id);
}

/** Records that a task's effect is done (DONE) or that it failed for good (FAILED): it is never queued again. */
export async function settleJob(db: Queryable, id: string, status: 'DONE' | 'FAILED'): Promise<void> {
  await runStatement(
    db,
    sql`UPDATE "OutboxJob" SET status = ${status}::"OutboxJobStatus"
      WHERE id = ${id}::uuid AND status IN ('PENDING', 'DISPATCHED')`,
  );
}
