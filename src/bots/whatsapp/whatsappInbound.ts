import type { Logger } from 'pino';
import type { Receive } from '../../core/channels/channelTransport.js';
import { errorSummary } from '../../core/outbound/outboxDispatcher.js';
import type { Secrets } from '../../core/secrets.js';
import type { WhatsAppClient } from './whatsappClient.js';
import type { WhatsAppIdentities } from './whatsappIdentity.js';
import { readWhatsAppMessage } from './whatsappMessage.js';

/**
 * Postgres down: try again for about ten minutes; after that the unread catch-up of the next connection picks it up.
 */
const RETRY_DELAYS_MS = [1_000, 5_000, 30_000, 120_000, 300_000];

export interface WhatsAppInboundDeps {
  identities: WhatsAppIdentities;
  secrets: Secrets;
  log: Logger;
  retryDelaysMs?: readonly number[];
}

/**
 * Takes each message event of the WhatsApp client through the one durable inbound path
 * (`receive`). The de-duplication key is an HMAC of the WhatsApp message id, because that id
 * embeds the sender's phone number: a message delivered twice (reconnection, catch-up of
 * unread chats, replay) is stored and answered once. Messages of one chat are handled one
 * after another so their order is kept. Never throws: the client's event loop is not ours.
 */
export class WhatsAppInbound {
  private readonly chains = new Map<string, Promise<void>>();
  private receive: Receive | undefined;
  private stopped = false;

  constructor(private readonly deps: WhatsAppInboundDeps) {}

  start(receive: Receive): void {
    this.receive = receive;
    this.stopped = false;
  }

  /** Resolves once the message is stored (or ignored, or given up after retries). */
  handle(client: WhatsAppClient, raw: unknown): Promise<void> {
    const read = readWhatsAppMessage(raw);
    if (!read.handled) {
      this.deps.log.debug({ reason: read.reason, channel: 'WHATSAPP' }, 'WhatsApp message ignored');
      return Promise.resolve();
    }
    const previous = this.chains.get(read.from) ?? Promise.resolve();
    const next = previous.then(() => this.store(client, read.from, read.messageId, read.content));
    this.chains.set(read.from, next);
    void next.finally(() => {
      if (this.chains.get(read.from) === next) this.chains.delete(read.from);
    });
    return next;
  }

  /** Clean shutdown: lets messages being stored finish (bounded), stops retrying. */
  async drain(timeoutMs: number): Promise<void> {
    this.stopped = true;
    await Promise.race([
      Promise.allSettled([...this.chains.values()]),
      new Promise((resolve) => setTimeout(resolve, timeoutMs).unref()),
    ]);
  }

  private async store(
    client: WhatsAppClient,
    from: string,
    messageId: string,
    content: Parameters<Receive>[0]['content'],
  ): Promise<void> {
    const { identities, secrets, log } = this.deps;
    const delays = this.deps.retryDelaysMs ?? RETRY_DELAYS_MS;
    for (let attempt = 0; ; attempt++) {
      try {
        if (!this.receive) throw new Error('WhatsApp inbound not started');
        const sender = await identities.resolve(client, from);
        const result = await this.receive({
          channel: 'WHATSAPP',
          platformId: sender.platformId,
          dedupeKey: secrets.hash(`whatsapp-message:${messageId}`),
          receivedAt: new Date(),
          content,
        });
        await identities.remember(sender);
        log.debug({ channel: 'WHATSAPP', status: result.status, kind: content.kind }, 'WhatsApp message stored');
        return;
      } catch (error) {
        const delay = delays[attempt];
        if (delay === undefined || this.stopped) {
          log.error(
            { err: errorSummary(error), channel: 'WHATSAPP' },
            'WhatsApp message not stored; it is read again from unread chats at the next connection',
          );
          return;
        }
        log.warn(
          { err: errorSummary(error), channel: 'WHATSAPP', retryInMs: delay },
          'WhatsApp message not stored yet; retrying',
        );
        await new Promise((resolve) => setTimeout(resolve, delay));
      }
    }
  }
}
