import pLimit from 'p-limit';
import type { Config } from '../../core/config.js';
import { findIdentity } from '../../core/contacts/contactService.js';
import type { Db } from '../../core/db.js';
import { ChannelOffline, PlatformRejected, PlatformUnreachable, type RelaisError } from '../../core/errors.js';
import { renderNumberedChoices } from '../../core/messages/numberedChoices.js';
import type { ChannelSender } from '../../core/outbound/channelSender.js';
import type { Secrets } from '../../core/secrets.js';
import type { WhatsAppClient } from './whatsappClient.js';
import { isPersonalChat } from './whatsappMessage.js';
import type { WhatsAppSession } from './whatsappSession.js';

export interface WhatsAppSenderDeps {
  session: WhatsAppSession;
  db: Db;
  secrets: Secrets;
  config: Pick<
    Config,
    'WHATSAPP_MIN_DELAY_MS' | 'WHATSAPP_JITTER_MS' | 'WHATSAPP_GLOBAL_PER_MINUTE' | 'WHATSAPP_TYPING_MS'
  >;
  /** how long a job waits after ChannelOffline (default 15 s) */
  offlineRetryMs?: number;
}

/**
 * Outbound WhatsApp messages: plain text with choices as a numbered list (no buttons), sent
 * slowly — per-chat gap with jitter, a low global rate, "typing…" first — and only to people
 * who wrote first: the address must belong to a WhatsApp identity that has sent us at least
 * one message (identities are only created by inbound messages; the check makes "never cold
 * message anyone" hold even if a bug queued something else). Without a ready session it
 * throws ChannelOffline, so messages wait in the queue until the session is back.
 */
export function createWhatsAppSender(deps: WhatsAppSenderDeps): ChannelSender {
  const { session, config } = deps;
  // one send at a time in this process, whichever delivery lane (conversations, announcements) it comes from:
  // one browser per number, and two messages typed at once look like a bot
  const oneAtATime = pLimit(1);
  return {
    channel: 'WHATSAPP',
    pacing: {
      globalPerSec: config.WHATSAPP_GLOBAL_PER_MINUTE / 60,
      perChatMs: config.WHATSAPP_MIN_DELAY_MS,
      jitterMs: config.WHATSAPP_JITTER_MS,
      // one browser per number: sending in parallel gains nothing and looks like a bot (and across the two
      // lanes, each with one send at a time, `oneAtATime` below keeps it to one)
      concurrency: 1,
      ...(deps.offlineRetryMs !== undefined ? { offlineRetryMs: deps.offlineRetryMs } : {}),
    },
    availability: session,
    async send(address, content) {
      if (!isPersonalChat(address)) throw new PlatformRejected('whatsapp', 'not a person chat');
      if (!(await wroteFirst(deps.db, deps.secrets, address)))
        throw new PlatformRejected('whatsapp', 'this person never wrote first');
      const text = renderNumberedChoices(content);
      return oneAtATime(() =>
        session.withClient(async (client) => {
          await showTyping(client, address, config.WHATSAPP_TYPING_MS);
          try {
            const sent = await client.sendMessage(address, text);
            // the serialized id embeds the phone number: keep only its random part
            return sent.id.id ? { platformMessageId: sent.id.id } : {};
          } catch (error) {
            const classified = classifySendError(error);
            if (classified instanceof ChannelOffline) session.suspectBroken();
            throw classified;
          }
        }),
      );
    },
  };
}

async function wroteFirst(db: Db, secrets: Secrets, address: string): Promise<boolean> {
  const identity = await findIdentity(db, secrets, 'WHATSAPP', address);
  if (!identity) return false;
  const inbound = await db.message.findFirst({
    where: { identityId: identity.id, direction: 'INBOUND' },
    select: { id: true },
  });
  return inbound !== null;
}

/** "typing…" for a moment, as a person would; a failure here never stops the message. */
async function showTyping(client: WhatsAppClient, address: string, ms: number): Promise<void> {
  if (ms <= 0) return;
  try {
    const chat = await client.getChatById(address);
    await chat.sendStateTyping();
    await new Promise((resolve) => setTimeout(resolve, ms));
  } catch {
    // typing is a courtesy
  }
}

/** Errors of a page or browser that is gone (the session must be restarted). */
const SESSION_GONE = new RegExp(
  [
    'target closed',
    'session closed',
    'protocol error',
    'detached frame',
    'execution context was destroyed',
    'browser has disconnected',
    'connection closed',
  ].join('|'),
  'i',
);

/**
 * whatsapp-web.js reports failures as errors thrown from the browser page: an unknown or
 * malformed recipient is final; a closed page or browser means the session is gone (keep the
 * message queued); anything else is retried with backoff.
 */
export function classifySendError(error: unknown): RelaisError {
  const message = error instanceof Error ? error.message : String(error);
  if (/invalid wid|wid error|not a valid|no lid for user|chat not found|not on whatsapp/i.test(message))
    return new PlatformRejected('whatsapp', 'unknown recipient');
  if (SESSION_GONE.test(message)) return new ChannelOffline('whatsapp');
  return new PlatformUnreachable('whatsapp', error);
}
