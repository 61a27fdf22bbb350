import type { ChannelName, OutboundContent } from '../messages/messageTypes.js';

export interface Pacing {
  /** messages per second across all chats of the channel (BullMQ limiter, global across workers) */
  globalPerSec: number;
  /** minimum gap between two messages to the same chat */
  perChatMs: number;
  /** random extra delay per message (WhatsApp: look less like a bot) */
  jitterMs: number;
  /** parallel deliveries per worker process */
  concurrency: number;
  /** how long a job waits after ChannelOffline before trying again (default 15 s) */
  offlineRetryMs?: number;
  /**
   * a platform's hard limit as it counts it, "at most `limit` messages in any `windowMs`"
   * (Telegram: 30 per second), enforced on top of the smooth `globalPerSec` spacing from
   * completed sends, so a send delayed by a stall cannot make the platform see one too many.
   * `arrivalMs`: how soon after it starts a request reaches the platform; a send still waiting
   * for its answer then counts as arrived, so a slow answer does not hold a place for longer
   */
  window?: { limit: number; windowMs: number; arrivalMs: number };
}

/**
 * For channels that can send from one process only (the WhatsApp browser lives in the worker
 * holding its lock): the delivery worker takes jobs only while the channel is available here,
 * so other workers leave them in the queue instead of bouncing them as ChannelOffline.
 */
export interface ChannelAvailability {
  isAvailable(): boolean;
  /** calls `listener` on every change; returns a function that unsubscribes */
  onChange(listener: (available: boolean) => void): () => void;
}

/**
 * The one way a message leaves Relais: every channel implements this, and the delivery
 * worker wraps it with ordering, pacing, retries and the Postgres status.
 */
export interface ChannelSender {
  channel: ChannelName;
  pacing: Pacing;
  /** absent: the channel can send from any worker process */
  availability?: ChannelAvailability;
  /**
   * true when "sent" only makes the message available for the person to fetch (the web chat's
   * page polls for it): a sensitive text is then erased when fetched, not when marked sent
   */
  deliveredOnFetch?: boolean;
  /**
   * the platform has a customer-service window (WhatsApp Cloud API): the delivery worker reads
   * when the person last wrote and passes it to `send`, which may throw OutsideWindow (held)
   */
  customerWindow?: boolean;
  /**
   * called once the message is recorded SENT (best effort: a failure is ignored): the web chat
   * tells the person's open page that a reply can be fetched now
   */
  delivered?(address: string, seq: string): Promise<void>;
  /** throws PlatformRejected (permanent), PlatformRateLimited, PlatformUnreachable, ChannelOffline or OutsideWindow */
  send(address: string, content: OutboundContent, context?: SendContext): Promise<{ platformMessageId?: string }>;
}

/** What a channel with a customer-service window learns about the person before a send. */
export interface SendContext {
  /** the person's last message on this account; null when none is kept */
  lastInboundAt: Date | null;
  /** the person's language (the template's language) */
  language: string | null;
}
