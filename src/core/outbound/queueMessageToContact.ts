import type { Tx } from '../db.js';
import type { ChannelName, OutboundContent } from '../messages/messageTypes.js';
import type { DispatchableMessage } from './outboxDispatcher.js';

/**
 * Writes a message for a person into the outbox, addressed to the account they used most
 * recently (people change numbers and apps; the newest identity is the one that works).
 * Only people who wrote to us have identities, so this never cold-messages anyone. With
 * `identityId`, to that account of the person (a warning meant for one of their accounts).
 * Returns null when the person has no reachable identity (erased). Dispatch after commit
 * with OutboxDispatcher.dispatchMessages, or let the sweep pick it up. `content` may depend on
 * the channel the message goes to (a volunteer's formatting, rendered for that channel).
 */
export async function queueMessageToContact(
  tx: Tx,
  input: {
    contactId: string;
    content: OutboundContent | ((channel: ChannelName) => OutboundContent);
    requestId?: string | null;
    identityId?: string;
  },
): Promise<DispatchableMessage | null> {
  const identity = await tx.channelIdentity.findFirst({
    where: { contactId: input.contactId, ...(input.identityId ? { id: input.identityId } : {}) },
    orderBy: { lastSeenAt: 'desc' },
    select: { id: true, channel: true },
  });
  if (!identity) return null;
  const content = typeof input.content === 'function' ? input.content(identity.channel) : input.content;
  const message = await tx.message.create({
    data: {
      channel: identity.channel,
      direction: 'OUTBOUND',
      status: 'PENDING',
      identityId: identity.id,
      contactId: input.contactId,
      requestId: input.requestId ?? null,
      content,
    },
    select: { id: true, channel: true, identityId: true },
  });
  return message;
}
