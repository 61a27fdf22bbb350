import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChannelTransport, Receive } from '../../../src/core/channels/channelTransport.js';
import type { ChannelAvailability } from '../../../src/core/outbound/channelSender.js';
import { eventually, startTestRelais, type TestRelais } from '../../support/testRelais.js';

/** A channel that can send from this process only while `available` (like a WhatsApp browser). */
class GatedChannel implements ChannelAvailability {
  readonly sent: string[] = [];
  sendCalls = 0;
  private available = false;
  private readonly listeners = new Set<(available: boolean) => void>();
  private receiveFn: Receive | undefined;
  readonly transport: ChannelTransport = {
    name: 'gated',
    sender: {
      channel: 'TELEGRAM',
      pacing: { globalPerSec: 1000, perChatMs: 0, jitterMs: 0, concurrency: 2 },
      availability: this,
      send: async (_address, content) => {
        this.sendCalls++;
        this.sent.push(content.text);
        return {};
      },
    },
    start: async (receive) => {
      this.receiveFn = receive;
    },
  };

  isAvailable() {
    return this.available;
  }
  onChange(listener: (available: boolean) => void) {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
  set(available: boolean) {
    this.available = available;
    for (const listener of this.listeners) listener(available);
  }
  write(from: string, text: string, id: string) {
    if (!this.receiveFn) throw new Error('not started');
    return this.receiveFn({
      channel: 'TELEGRAM',
      platformId: from,
      dedupeKey: id,
      receivedAt: new Date(),
      content: { kind: 'text', text },
    });
  }
}

let t: TestRelais;
const channel = new GatedChannel();
beforeAll(async () => {
  t = await startTestRelais('channel_availability', {}, { transports: () => [channel.transport] });
});
afterAll(async () => {
  await t?.close();
});

describe('a channel that can send from one process only', () => {
  it('leaves its messages queued, untouched, while it is unavailable here, and sends them once it is', async () => {
    await channel.write('1001', 'hello', 'a1');
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(channel.sendCalls).toBe(0);
    const pending = await t.relais.db.message.findMany({
      where: { direction: 'OUTBOUND' },
      select: { status: true, attempts: true },
    });
    expect(pending).toHaveLength(3);
    expect(pending.every((m) => m.status === 'PENDING' && m.attempts === 0)).toBe(true);

    channel.set(true);
    await eventually(async () => channel.sent.length === 3);
  });

  it('stops taking jobs when it becomes unavailable again, and resumes', async () => {
    channel.set(false);
    await new Promise((resolve) => setTimeout(resolve, 300));
    await channel.write('1001', '2', 'a2');
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(channel.sent).toHaveLength(3);
    channel.set(true);
    await eventually(async () => channel.sent.length === 6);
  });
});
