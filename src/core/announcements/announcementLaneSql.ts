import { runStatement, sql } from '../db/sqlRunner.js';
import type { Queryable } from '../outbound/outboxSql.js';

/**
 * Whether the person has an older pending conversation message outside this batch (it must go
 * first). An announcement's message pending for them does not count: a reply never waits for it.
 */
export async function hasEarlierConversationPending(
  db: Queryable,
  identityId: string,
  seq: string,
  batch: readonly string[],
): Promise<boolean> {
  const { rows } = await runStatement(
    db,
    sql`SELECT 1 FROM "Message"
     WHERE "identityId" = ${identityId}::uuid AND direction = 'OUTBOUND' AND status = 'PENDING'
       AND seq < ${seq}::bigint AND id <> ALL (${[...batch]}::uuid[]) AND "announcementId" IS NULL
     LIMIT 1`,
  );
  return rows.length > 0;
}
