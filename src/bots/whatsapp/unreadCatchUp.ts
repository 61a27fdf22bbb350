import type { WhatsAppClient, WhatsAppMessage } from './whatsappClient.js';
import { isPersonalChat } from './whatsappMessage.js';

export interface CatchUpOptions {
  /** older unread messages are left alone (a number reused from personal use, a long outage) */
  maxAgeMs: number;
  /** at most this many of the latest unread messages per chat */
  perChat: number;
}

export const DEFAULT_CATCH_UP: CatchUpOptions = { maxAgeMs: 24 * 3_600_000, perChat: 10 };

/**
 * After each (re)connection, reads the recent unread messages of people's chats again and
 * hands them to `handle` (the inbound path, which de-duplicates by message id). WhatsApp Web
 * usually replays messages that arrived while the browser was closed (restart, reconnection)
 * as new events, but not always; this closes the gap. Replying marks a chat read, so chats
 * already answered are not read again. Returns how many messages were handed over.
 */
export async function catchUpUnread(
  client: WhatsAppClient,
  handle: (message: WhatsAppMessage) => Promise<void>,
  options: CatchUpOptions = DEFAULT_CATCH_UP,
  now = Date.now(),
): Promise<number> {
  const chats = await client.getChats();
  let handed = 0;
  for (const chat of chats) {
    if (chat.isGroup || chat.unreadCount <= 0 || !isPersonalChat(chat.id._serialized)) continue;
    const messages = await chat.fetchMessages({ limit: Math.min(chat.unreadCount, options.perChat) });
    for (const message of messages) {
      if (message.fromMe) continue;
      if (message.timestamp !== undefined && message.timestamp * 1000 < now - options.maxAgeMs) continue;
      await handle(message);
      handed++;
    }
  }
  return handed;
}
