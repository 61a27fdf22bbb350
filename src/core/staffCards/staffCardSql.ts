import type { Db } from '../db.js';

/** The tables whose rows have a staff card (a message in Slack): its channel and timestamp are stored on the row. */
export type CardTable = 'Request' | 'Pledge';

/**
 * Saves where a card was posted, only if none was saved (a task run twice posts twice; the
 * second post is then deleted). A raw update: Prisma's @updatedAt would otherwise hide whether
 * the row changed while the card was being posted.
 */
export async function saveCardPositionSql(
  db: Db,
  table: CardTable,
  id: string,
  channel: string,
  ts: string,
): Promise<boolean> {
  const saved =
    table === 'Request'
      ? await db.$executeRaw`UPDATE "Request" SET "slackChannelId" = ${channel}, "slackTs" = ${ts}
          WHERE id = ${id}::uuid AND "slackTs" IS NULL`
      : await db.$executeRaw`UPDATE "Pledge" SET "slackChannelId" = ${channel}, "slackTs" = ${ts}
          WHERE id = ${id}::uuid AND "slackTs" IS NULL`;
  return saved === 1;
}
