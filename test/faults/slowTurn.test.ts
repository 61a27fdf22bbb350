import type { AddressInfo } from 'node:net';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TelegramUpdateFactory } from '../support/telegramUpdates.js';
import { eventually } from '../support/testRelais.js';
import { FAULT_BOT_ID, FAULT_SECRET, startFaultRelais, type FaultRelais } from './support/faultRelais.js';

const LOCK_TIMEOUT_MS = 2000;
const QUEUE_WAIT_MS = 1000;

let f: FaultRelais;
let baseUrl: string;
beforeAll(async () => {
  f = await startFaultRelais('fault_slow', {
    env: {
      INBOUND_LOCK_TIMEOUT_MS: String(LOCK_TIMEOUT_MS),
      INBOUND_TURN_TIMEOUT_MS: '4000',
      DATABASE_CONNECT_TIMEOUT_MS: String(QUEUE_WAIT_MS),
      INBOUND_BATCH_CONCURRENCY: '1',
    },
  });
  // a real socket: a timeout of the server would cut it, and fetch would fail instead of seeing 503
  await f.relais.app.listen({ host: '127.0.0.1', port: 0 });
  const address = f.relais.app.server.address();
  baseUrl = `http://127.0.0.1:${typeof address === 'object' && address ? (address satisfies AddressInfo).port : 0}`;
});
afterAll(async () => {
  await f?.close();
});

async function deliver(update: { update_id: number }) {
  const started = Date.now();
  const response = await fetch(`${baseUrl}/telegram/webhook`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': FAULT_SECRET },
    body: JSON.stringify(update),
  });
  await response.arrayBuffer();
  return { status: response.status, retryAfter: response.headers.get('retry-after'), ms: Date.now() - started };
}

const byUpdate = (updateId: number) => ({ channel: 'TELEGRAM' as const, dedupeKey: `tg:${FAULT_BOT_ID}:${updateId}` });
const stored = (updateId: number) => f.relais.db.message.count({ where: byUpdate(updateId) });

const contactOf = async (updateId: number) =>
  (await f.relais.db.message.findFirst({ where: byUpdate(updateId) }))?.contactId ?? '';

/** Another transaction (a staff action, a long job) holding the row of the person who sent `updateId`. */
async function holdContactOf(updateId: number): Promise<{ release(): Promise<void> }> {
  const contactId = await contactOf(updateId);
  const client = new pg.Client({ connectionString: f.database.url });
  await client.connect();
  await client.query('BEGIN');
  await client.query('SELECT id FROM "Contact" WHERE id = $1 FOR UPDATE', [contactId]);
  return {
    async release() {
      await client.query('ROLLBACK');
      await client.end();
    },
  };
}

/** The person's first message, answered; returns its update id. */
async function known(person: TelegramUpdateFactory): Promise<number> {
  const update = person.command('/start');
  expect((await deliver(update)).status).toBe(200);
  await eventually(async () => f.api.textsTo(person.chatId).length > 0);
  const pending = { channel: 'TELEGRAM' as const, direction: 'OUTBOUND' as const, status: 'PENDING' as const };
  await eventually(async () => (await f.relais.db.message.count({ where: pending })) === 0);
  return update.update_id;
}

describe('a slow inbound turn', () => {
  it('waiting on a held lock gets 503 + Retry-After before any timeout, nothing stored; retried once', async () => {
    const person = new TelegramUpdateFactory(5301);
    const lock = await holdContactOf(await known(person));
    const before = f.api.textsTo(person.chatId).length;
    const update = person.text('2');
    let during: Awaited<ReturnType<typeof deliver>>;
    try {
      during = await deliver(update);
    } finally {
      await lock.release();
    }
    expect(during.status).toBe(503);
    expect(Number(during.retryAfter)).toBeGreaterThanOrEqual(1);
    // it waited for the lock up to its bound, well before the turn's budget and the server's timeouts
    expect(during.ms).toBeGreaterThanOrEqual(LOCK_TIMEOUT_MS);
    expect(during.ms).toBeLessThan(LOCK_TIMEOUT_MS + 1000);
    expect(during.ms).toBeLessThan(f.relais.app.server.timeout);
    expect(await stored(update.update_id)).toBe(0);
    expect(f.logs.text).toContain('"waited":"lock"');

    // Telegram delivers it again: processed once, answered once; a further replay is a duplicate
    expect((await deliver(update)).status).toBe(200);
    expect((await deliver(update)).status).toBe(200);
    expect(await stored(update.update_id)).toBe(1);
    await eventually(async () => f.api.textsTo(person.chatId).length > before);
    await new Promise((resolve) => setTimeout(resolve, 500));
    const replies = f.api.textsTo(person.chatId).length - before;
    expect(replies).toBeGreaterThan(0);
    // every reply stored is the one sent: the failed attempt left none behind
    const contactId = await contactOf(update.update_id);
    const outbound = { channel: 'TELEGRAM' as const, direction: 'OUTBOUND' as const, contactId };
    const answers = await f.relais.db.message.count({ where: outbound });
    expect(answers).toBe(before + replies);
  });

  it('queued behind a stuck batch gives up at its queue bound with 503, and its retry is processed once', async () => {
    const stuck = new TelegramUpdateFactory(5302);
    const queued = new TelegramUpdateFactory(5303);
    const lock = await holdContactOf(await known(stuck));
    let waitingTurn: Awaited<ReturnType<typeof deliver>>;
    let stuckTurn: Awaited<ReturnType<typeof deliver>>;
    try {
      // one batch at a time (INBOUND_BATCH_CONCURRENCY=1): the stuck person's batch holds it
      const first = deliver(stuck.text('2'));
      await new Promise((resolve) => setTimeout(resolve, 100));
      const update = queued.command('/start');
      waitingTurn = await deliver(update);
      expect(await stored(update.update_id)).toBe(0);
      stuckTurn = await first;
      await lock.release();
      expect((await deliver(update)).status).toBe(200);
      expect(await stored(update.update_id)).toBe(1);
    } finally {
      await lock.release().catch(() => undefined);
    }
    expect(waitingTurn.status).toBe(503);
    expect(waitingTurn.retryAfter).toBe('5');
    expect(waitingTurn.ms).toBeGreaterThanOrEqual(QUEUE_WAIT_MS - 50);
    expect(waitingTurn.ms).toBeLessThan(LOCK_TIMEOUT_MS);
    expect(stuckTurn.status).toBe(503);
    expect(f.logs.text).toContain('"waited":"queue"');
    await eventually(async () => f.api.textsTo(queued.chatId).length > 0);
  });
});
