import type { Db } from '../../../core/db.js';
import { staffCardPositions, type CardTable } from '../../../core/staffCards/staffCardPositions.js';
import type { Block } from '../blocks/kit.js';
import { slackErrorCode } from '../slackErrors.js';
import type { SlackClient } from '../slackDeps.js';

/** What a card shows and where it is: the read model of a request or a pledge, as far as publishing goes. */
export interface CardSubject {
  slackChannelId: string | null;
  slackTs: string | null;
  updatedAt: Date;
}

/** One kind of card (request, pledge): how to read it, where it goes, how it looks. */
export interface CardKind<V extends CardSubject> {
  table: CardTable;
  load(id: string): Promise<V | null>;
  /** the channel a new card goes to, or null when there is none */
  channelFor(view: V): Promise<string | null>;
  render(view: V): Promise<{ text: string; blocks: Block[] }>;
}

export interface CardPublisher {
  /** Posts the card and remembers where; a card already posted is refreshed instead. */
  publish(id: string): Promise<string>;
  /** Re-renders the card in place; posts it when it has none yet or was deleted from Slack. */
  refresh(id: string): Promise<string>;
}

/**
 * The one publisher of staff cards (requests and pledges). Safe to run twice: the position is
 * saved only if none was, a duplicate post is deleted, a change made while posting is rendered
 * right after, and a card that is missing (never posted, or deleted in Slack) is posted again.
 */
export function cardPublisher<V extends CardSubject>(db: Db, client: SlackClient, kind: CardKind<V>): CardPublisher {
  const publish = async (id: string): Promise<string> => {
    const view = await kind.load(id);
    if (!view) return 'gone';
    if (view.slackChannelId && view.slackTs) return refresh(id);
    const channel = await kind.channelFor(view);
    if (!channel) return 'no channel';
    const card = await kind.render(view);
    const message = { channel, text: card.text, blocks: card.blocks, unfurl_links: false, unfurl_media: false };
    const posted = await client.chat.postMessage(message);
    if (!posted.ts || !posted.channel) return 'slack gave no message position';
    if (!(await staffCardPositions.save(db, kind.table, id, posted.channel, posted.ts))) {
      await client.chat.delete({ channel: posted.channel, ts: posted.ts }).catch(() => undefined);
      return 'already posted';
    }
    const latest = await staffCardPositions.updatedAt(db, kind.table, id);
    if (latest && latest.getTime() !== view.updatedAt.getTime()) await refresh(id);
    return 'posted';
  };

  const refresh = async (id: string): Promise<string> => {
    const view = await kind.load(id);
    if (!view) return 'gone';
    if (!view.slackChannelId || !view.slackTs) return publish(id);
    const card = await kind.render(view);
    try {
      await client.chat.update({
        channel: view.slackChannelId,
        ts: view.slackTs,
        text: card.text,
        blocks: card.blocks,
      });
      return 'updated';
    } catch (error) {
      if (slackErrorCode(error) !== 'message_not_found') throw error;
      await staffCardPositions.forget(db, kind.table, id, view.slackTs);
      return publish(id);
    }
  };

  return { publish, refresh };
}
