import type { Queryable } from '../outbound/outboxSql.js';

/**
 * Whether the person has an older pending conversation message outside this batch (it must go
 * first). An announcement's message pending for them does not count: a reply never waits for it.
 */
export async function hasEarlierConversationPending(db: Queryable, identityId: string, seq: string, batch: readonly string[]): Promise<boolean> {
  const { rows } = await db.query(
    `SELECT 1 FROM "Message"
     WHERE "identityId" = $1::uuid AND direction = 'OUTBOUND' AND status = 'PENDING' AND seq < $2::bigint
       AND id <> ALL ($3::uuid[]) AND "announcementId" IS NULL
     LIMIT 1`,
    [identityId, seq, batch],
  );
  return rows.length > 0;
}
