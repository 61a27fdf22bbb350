import type { Db } from '../db.js';
import { inboundContentSchema, type InboundContent } from '../messages/messageTypes.js';

/** What a person sent in one stored inbound message, or null (not theirs, purged, or unreadable). */
export async function personMessageContent(db: Db, messageId: string): Promise<InboundContent | null> {
  const message = await db.message.findUnique({ where: { id: messageId }, select: { content: true, direction: true } });
  if (message?.direction !== 'INBOUND' || message.content === null) return null;
  const content = inboundContentSchema.safeParse(message.content);
  return content.success ? content.data : null;
}
