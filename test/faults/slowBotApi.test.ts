import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queueMessageToContact } from '../../src/core/outbound/queueMessageToContact.js';
import type { DispatchableMessage } from '../../src/core/outbound/outboxDispatcher.js';
import { TelegramUpdateFactory } from '../support/telegramUpdates.js';
import { eventually } from '../support/testRelais.js';
import { startFaultRelais, type FaultRelais } from './support/faultRelais.js';

const PEOPLE = 100;
const BACKLOG_PER_PERSON = 3;
let f: FaultRelais;
beforeAll(async () => {
  // Telegram's real pacing: 30/s overall, 1 s between two messages to one chat
  f = await startFaultRelais('fault_slow', { env: { TELEGRAM_RATE_PER_CHAT_MS: '1000' } });
  // a Bot API that takes 2 s to answer every sendMessage
  f.api.sendDelayMs = 2000;
});
afterAll(async () => {
  await f?.close();
});

/** Most arrivals the platform saw in any window of `windowMs`. */
function busiestWindow(arrivals: number[], windowMs: number): number {
  const sorted = [...arrivals].sort((a, b) => a - b);
  let most = 0;
  for (let i = 0, j = 0; i < sorted.length; i++) {
    while ((sorted[i] ?? 0) - (sorted[j] ?? 0) >= windowMs) j++;
    most = Math.max(most, i - j + 1);
  }
  return most;
}

describe('a Bot API answering in 2 s, with a backlog for many chats', () => {
  it('a newcomer gets their first reply within 5 s, throughput stays at 20 msg/s or more, and neither 30/s nor the 1 ' +
    's per chat is exceeded', async () => {
    const people = Array.from({ length: PEOPLE }, (_, i) => new TelegramUpdateFactory(4700 + i));
    for (const p of people) expect((await f.post(p.command('/start'))).statusCode).toBe(200);
    // and a backlog behind each person's welcome: a broadcast to everyone
    const contacts = await f.relais.db.contact.findMany({ select: { id: true } });
    expect(contacts).toHaveLength(PEOPLE);
    const queued: DispatchableMessage[] = [];
    await f.relais.db.$transaction(async (tx) => {
      for (let i = 0; i < BACKLOG_PER_PERSON; i++) {
        for (const c of contacts) {
          const m = await queueMessageToContact(tx, { contactId: c.id, content: { text: `news ${i}` } });
          if (m) queued.push(m);
        }
      }
    });
    await f.relais.dispatcher.dispatchMessages(queued);
    const total = PEOPLE * (3 + BACKLOG_PER_PERSON);

    await new Promise((r) => setTimeout(r, 5000));
    const newcomer = new TelegramUpdateFactory(4999);
    const arrivedAt = Date.now();
    expect((await f.post(newcomer.command('/start'))).statusCode).toBe(200);
    const firstReply = await eventually(
      async () => f.api.callsOf('sendMessage').find((c) => String(c.body.chat_id) === String(newcomer.chatId)),
      60_000,
      20,
    );
    const firstReplyMs = firstReply.arrivedAt - arrivedAt;
    const sentBeforeIt = f.api.callsOf('sendMessage').filter((c) => c.arrivedAt <= firstReply.arrivedAt).length;

    await eventually(
      async () => (await f.relais.db.message.count({ where: { direction: 'OUTBOUND', status: 'SENT' } })) === total + 3,
      120_000,
      250,
    );
    const sends = f.api.callsOf('sendMessage');
    expect(sends.every((c) => c.status === 200)).toBe(true);
    const arrivals = sends.map((c) => c.arrivedAt).sort((a, b) => a - b);
    // the rate while many chats wait (the last few chats alone are held by their 1 s gap)
    const busy = arrivals.slice(0, Math.floor(arrivals.length * 0.9));
    const perSecond = (busy.length - 1) / (((busy.at(-1) ?? 0) - (busy[0] ?? 0)) / 1000);
    console.info(
      `first reply to the newcomer after ${firstReplyMs} ms (${sentBeforeIt} of ${total} sent by then); ` +
        `${perSecond.toFixed(1)} msg/s`,
    );

    expect(sentBeforeIt).toBeLessThan(total);
    expect(firstReplyMs).toBeLessThan(5000);
    expect(perSecond).toBeGreaterThanOrEqual(20);
    expect(busiestWindow(arrivals, 1000)).toBeLessThanOrEqual(30);
    for (const p of [...people, newcomer]) {
      const times = f.api.messagesTo(p.chatId).map((c) => c.arrivedAt);
      for (let i = 1; i < times.length; i++) expect((times[i] ?? 0) - (times[i - 1] ?? 0)).toBeGreaterThanOrEqual(1000);
    }
  }, 180_000);
});
