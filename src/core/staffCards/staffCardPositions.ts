import type { Db } from '../db.js';
import { saveCardPositionSql, type CardTable } from './staffCardSql.js';

export type { CardTable } from './staffCardSql.js';

/**
 * Where the staff card of a request or a pledge is (a Slack message), kept on its row. A card
 * publisher posts a card, saves its position once, and forgets it when the message is gone.
 */
export const staffCardPositions = {
  /** Saves a new card's position unless one was saved meanwhile (then false: delete the duplicate). */
  save: (db: Db, table: CardTable, id: string, channel: string, ts: string): Promise<boolean> =>
    saveCardPositionSql(db, table, id, channel, ts),

  /** Forgets a card that was deleted from Slack, unless a newer one was saved meanwhile. */
  async forget(db: Db, table: CardTable, id: string, ts: string): Promise<void> {
    const where = { id, slackTs: ts };
    const data = { slackChannelId: null, slackTs: null };
    if (table === 'Request') await db.request.updateMany({ where, data });
    else await db.pledge.updateMany({ where, data });
  },

  /** A request's card (its reference, where it is), or null when it has none. */
  async ofRequest(
    db: Db,
    id: string,
  ): Promise<{ reference: string; associationId: string | null; channel: string; ts: string } | null> {
    const row = await db.request.findUnique({
      where: { id },
      select: { reference: true, associationId: true, slackChannelId: true, slackTs: true },
    });
    return row?.slackChannelId && row.slackTs
      ? { reference: row.reference, associationId: row.associationId, channel: row.slackChannelId, ts: row.slackTs }
      : null;
  },

  /** When the row last changed (null when it is gone): a change made while a card was posted is rendered again. */
  async updatedAt(db: Db, table: CardTable, id: string): Promise<Date | null> {
    const select = { updatedAt: true } as const;
    const row =
      table === 'Request'
        ? await db.request.findUnique({ where: { id }, select })
        : await db.pledge.findUnique({ where: { id }, select });
    return row?.updatedAt ?? null;
  },
};
