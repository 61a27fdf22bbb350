import type { ChannelTransport, Receive } from '../../src/core/channels/channelTransport.js';
import type { InboundContent, ChannelName, OutboundContent } from '../../src/core/messages/messageTypes.js';
import type { ReceiveResult } from '../../src/core/inbound/inboundService.js';
import { PlatformRateLimited, PlatformRejected } from '../../src/core/errors.js';

export interface SentMessage {
  address: string;
  content: OutboundContent;
  at: number;
}

/**
 * A channel whose platform is this object: `sendEvent` plays a person writing, `sent` is
 * what the platform received. `failNext` makes the platform refuse or throttle.
 */
export class FakeChannel implements ChannelTransport {
  readonly name = 'fake';
  readonly sent: SentMessage[] = [];
  private receiveFn: Receive | undefined;
  private counter = 0;
  private failures: Array<'reject' | 'rate-limit' | 'network'> = [];
  rejectAddresses = new Set<string>();

  constructor(
    readonly channel: ChannelName = 'TELEGRAM',
    perChatMs = 0,
  ) {
    this.sender = {
      channel,
      pacing: { globalPerSec: 1000, perChatMs, jitterMs: 0, concurrency: 10 },
      send: async (address, content) => {
        const failure = this.failures.shift();
        if (failure === 'reject' || this.rejectAddresses.has(address))
          throw new PlatformRejected('fake', 'Forbidden: bot was blocked by the user');
        if (failure === 'rate-limit') throw new PlatformRateLimited('fake', 300);
        if (failure === 'network') throw new Error('ECONNRESET');
        this.sent.push({ address, content, at: Date.now() });
        return { platformMessageId: String(this.sent.length) };
      },
    };
  }

  readonly sender: NonNullable<ChannelTransport['sender']>;

  async start(receive: Receive) {
    this.receiveFn = receive;
  }

  failNext(...kinds: Array<'reject' | 'rate-limit' | 'network'>) {
    this.failures.push(...kinds);
  }

  /** A person (platform id `from`) sends something; resolves when Relais has stored it. */
  async sendEvent(
    from: string,
    content: InboundContent,
    dedupeKey = `u${++this.counter}-${Date.now()}`,
    languageHint?: string,
  ): Promise<ReceiveResult> {
    if (!this.receiveFn) throw new Error('fake channel not started');
    return this.receiveFn({
      channel: this.channel,
      platformId: from,
      dedupeKey,
      receivedAt: new Date(),
      content,
      ...(languageHint ? { languageHint } : {}),
    });
  }

  text(from: string, text: string) {
    return this.sendEvent(from, { kind: 'text', text });
  }

  /** Messages the platform received for one person, as text. */
  textsTo(address: string): string[] {
    return this.sent.filter((m) => m.address === address).map((m) => m.content.text);
  }

  lastTo(address: string): OutboundContent | undefined {
    return this.sent.filter((m) => m.address === address).at(-1)?.content;
  }
}
