import type pg from 'pg';

/**
 * The outbox's reads and writes in plain SQL on the node-postgres pool: the delivery worker
 * and the dispatcher run them for every message, so neither needs Prisma (whose query compiler
 * costs a worker ~60 MB once it has run a query, and CPU on every call). Times are computed
 * in SQL (sessions run in UTC, like the `timestamp(3)` columns Prisma writes).
 */
export type Queryable = Pick<pg.Pool, 'query'>;

export interface OutboundToSend {
  status: string;
  /** bigint, as text */
  seq: string;
  identityId: string | null;
  content: unknown;
  addressCipher: string | null;
}

export async function readOutbound(db: Queryable, id: string): Promise<OutboundToSend | undefined> {
  const { rows } = await db.query<OutboundToSend>(
    `SELECT m.status, m.seq::text AS seq, m."identityId", m.content, i."addressCipher"
     FROM "Message" m LEFT JOIN "ChannelIdentity" i ON i.id = m."identityId" WHERE m.id = $1::uuid`,
    [id],
  );
  return rows[0];
}

/** Whether the person has an older pending message outside this batch (it must go first). */
export async function hasEarlierPending(db: Queryable, identityId: string, seq: string, batch: readonly string[]): Promise<boolean> {
  const { rows } = await db.query(
    `SELECT 1 FROM "Message"
     WHERE "identityId" = $1::uuid AND direction = 'OUTBOUND' AND status = 'PENDING' AND seq < $2::bigint AND id <> ALL ($3::uuid[])
     LIMIT 1`,
    [identityId, seq, batch],
  );
  return rows.length > 0;
}

export async function statusOf(db: Queryable, id: string): Promise<string | undefined> {
  const { rows } = await db.query<{ status: string }>(`SELECT status FROM "Message" WHERE id = $1::uuid`, [id]);
  return rows[0]?.status;
}

/**
 * A sensitive message (OutboundContent.sensitive: a reconnection code) keeps its text only
 * until it has left: these SET clauses erase it, as the retention purge would.
 */
const ERASE_IF_SENSITIVE = `content = CASE WHEN content->>'sensitive' = 'true' THEN NULL ELSE content END,
  "contentPurgedAt" = CASE WHEN content->>'sensitive' = 'true' THEN clock_timestamp() ELSE "contentPurgedAt" END`;

/**
 * Records a delivery. `eraseSensitive`: the platform now holds the text (Telegram, WhatsApp),
 * so a sensitive message's text is erased here; the web chat keeps it until the page has
 * fetched it (eraseFetchedSensitive).
 */
export async function markSent(db: Queryable, id: string, platformMessageId: string | null, options: { eraseSensitive: boolean }): Promise<void> {
  await db.query(
    `UPDATE "Message" SET status = 'SENT', "sentAt" = clock_timestamp(), attempts = attempts + 1, "platformMessageId" = $2, "lastError" = NULL${options.eraseSensitive ? `, ${ERASE_IF_SENSITIVE}` : ''} WHERE id = $1::uuid`,
    [id, platformMessageId],
  );
}

/** Records a refusal for good (or a recipient gone): the message is FAILED, visible, not retried; a sensitive text is erased. */
export async function failMessage(db: Queryable, id: string, lastError: string, options: { attempted: boolean }): Promise<void> {
  await db.query(`UPDATE "Message" SET status = 'FAILED', attempts = attempts + $3, "lastError" = $2, ${ERASE_IF_SENSITIVE} WHERE id = $1::uuid`, [id, lastError.slice(0, 200), options.attempted ? 1 : 0]);
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
  const result = await db.query(
    `UPDATE "Message" SET ${ERASE_IF_SENSITIVE}
     WHERE "identityId" = $1::uuid AND "contactId" = $3::uuid AND direction = 'OUTBOUND' AND status = 'SENT'
       AND seq <= $2::bigint AND "contentPurgedAt" IS NULL AND content->>'sensitive' = 'true'`,
    [to.identityId, seq.toString(), to.contactId],
  );
  return result.rowCount ?? 0;
}

/** Records a failed attempt that will be retried. */
export async function recordAttemptError(db: Queryable, id: string, lastError: string): Promise<void> {
  await db.query(`UPDATE "Message" SET attempts = attempts + 1, "lastError" = $2 WHERE id = $1::uuid`, [id, lastError.slice(0, 200)]);
}

/** Marks the still-pending messages among `ids` FAILED; returns how many. */
export async function failPending(db: Queryable, ids: readonly string[], lastError: string): Promise<number> {
  const result = await db.query(`UPDATE "Message" SET status = 'FAILED', "lastError" = $2, ${ERASE_IF_SENSITIVE} WHERE id = ANY ($1::uuid[]) AND status = 'PENDING'`, [ids, lastError.slice(0, 200)]);
  return result.rowCount ?? 0;
}

/**
 * Pending outbound messages never handed over (older than 1 s) or handed over more than `staleMs` ago, oldest first.
 * An announcement's messages are not among them: its feeder hands them over (announcementFeeder.ts).
 */
export async function undispatchedMessages(db: Queryable, limit: number, staleMs: number): Promise<Array<{ id: string; channel: string; identityId: string | null }>> {
  const { rows } = await db.query<{ id: string; channel: string; identityId: string | null }>(
    `SELECT id, channel::text AS channel, "identityId" FROM "Message"
     WHERE direction = 'OUTBOUND' AND status = 'PENDING' AND "announcementId" IS NULL
       AND (("queuedAt" IS NULL AND "createdAt" < now() - interval '1 second') OR "queuedAt" < now() - make_interval(secs => $2::double precision / 1000))
     ORDER BY seq LIMIT $1`,
    [limit, staleMs],
  );
  return rows;
}

/** Sets (handed over now) or clears (to be handed over again) the queued mark. */
export async function setQueued(db: Queryable, ids: readonly string[], queued: boolean): Promise<void> {
  await db.query(`UPDATE "Message" SET "queuedAt" = CASE WHEN $2::boolean THEN now() END WHERE id = ANY ($1::uuid[])`, [ids, queued]);
}

export interface PendingJob {
  id: string;
  queue: string;
  name: string;
  data: Record<string, unknown>;
  /** how long until its runAt, 0 if due */
  delayMs: number;
}

export async function pendingJobs(db: Queryable, ids: readonly string[]): Promise<PendingJob[]> {
  const { rows } = await db.query<PendingJob>(
    `SELECT id, queue, name, data, GREATEST(0, ceil(EXTRACT(EPOCH FROM ("runAt" - now())) * 1000))::float8 AS "delayMs"
     FROM "OutboxJob" WHERE id = ANY ($1::uuid[]) AND status = 'PENDING' ORDER BY "createdAt"`,
    [ids],
  );
  return rows;
}

export async function oldestPendingJobIds(db: Queryable, limit: number): Promise<string[]> {
  const { rows } = await db.query<{ id: string }>(`SELECT id FROM "OutboxJob" WHERE status = 'PENDING' ORDER BY "createdAt" LIMIT $1`, [limit]);
  return rows.map((r) => r.id);
}

/** Only rows still PENDING: a task can run (and be marked DONE) before its hand-over is recorded. */
export async function markJobsDispatched(db: Queryable, ids: readonly string[]): Promise<void> {
  await db.query(`UPDATE "OutboxJob" SET status = 'DISPATCHED', "queuedAt" = now() WHERE id = ANY ($1::uuid[]) AND status = 'PENDING'`, [ids]);
}

/**
 * Handed-over tasks to look for in Redis. `staleMs` set: those due and not seen in BullMQ for
 * that long (a job waiting in a backlog or between retries is seen again, and its mark moved
 * on), oldest first; null: every one, delayed ones too (after Redis was found empty), by id after `afterId`.
 */
export async function dispatchedJobsToCheck(db: Queryable, options: { limit: number; staleMs: number | null; afterId?: string }): Promise<PendingJob[]> {
  const columns = `id, queue, name, data, GREATEST(0, ceil(EXTRACT(EPOCH FROM ("runAt" - now())) * 1000))::float8 AS "delayMs"`;
  // two statements, so each can use the (status, queuedAt) index: DONE rows pile up, DISPATCHED ones are few
  const { rows } =
    options.staleMs === null
      ? await db.query<PendingJob>(
          `SELECT ${columns} FROM "OutboxJob" WHERE status = 'DISPATCHED' AND "queuedAt" IS NOT NULL AND id > $2::uuid ORDER BY id LIMIT $1`,
          [options.limit, options.afterId ?? '00000000-0000-0000-0000-000000000000'],
        )
      : await db.query<PendingJob>(
          `SELECT ${columns} FROM "OutboxJob"
           WHERE status = 'DISPATCHED' AND "queuedAt" < now() - make_interval(secs => $2::float8 / 1000) AND "runAt" < now() - make_interval(secs => $2::float8 / 1000)
           ORDER BY "queuedAt" LIMIT $1`,
          [options.limit, options.staleMs],
        );
  return rows;
}

/** Marks tasks as seen in (or handed again to) BullMQ now; returns those still DISPATCHED. */
export async function touchDispatchedJobs(db: Queryable, ids: readonly string[]): Promise<string[]> {
  if (ids.length === 0) return [];
  const { rows } = await db.query<{ id: string }>(`UPDATE "OutboxJob" SET "queuedAt" = now() WHERE id = ANY ($1::uuid[]) AND status = 'DISPATCHED' RETURNING id`, [ids]);
  return rows.map((row) => row.id);
}

/** Records that a task's effect is done (DONE) or that it failed for good (FAILED): it is never queued again. */
export async function settleJob(db: Queryable, id: string, status: 'DONE' | 'FAILED'): Promise<void> {
  await db.query(`UPDATE "OutboxJob" SET status = $2::"OutboxJobStatus" WHERE id = $1::uuid AND status IN ('PENDING', 'DISPATCHED')`, [id, status]);
}
