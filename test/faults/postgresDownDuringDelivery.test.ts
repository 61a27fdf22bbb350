import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TelegramUpdateFactory } from '../support/telegramUpdates.js';
import { eventually } from '../support/testRelais.js';
import { startFaultRelais, type FaultRelais } from './support/faultRelais.js';
import { TcpProxy } from './support/tcpProxy.js';

let f: FaultRelais;
let proxy: TcpProxy;
beforeAll(async () => {
  proxy = await new TcpProxy('127.0.0.1', 5432).start();
  f = await startFaultRelais('fault_pg_send', {
    db: (url) => {
      const viaProxy = new URL(url);
      viaProxy.port = String(proxy.port);
      return viaProxy.toString();
    },
  });
  // a slow Bot API: sends are waiting for their answer when Postgres goes away
  f.api.sendDelayMs = 1500;
});
afterAll(async () => {
  proxy?.restore();
  await f?.close();
  await proxy?.close();
});

const sentCount = () => f.relais.db.message.count({ where: { direction: 'OUTBOUND', status: 'SENT' } });

describe('Postgres unreachable while messages are being sent', () => {
  it('a message that left while Postgres was down is recorded SENT afterwards and never sent twice', async () => {
    const people = Array.from({ length: 20 }, (_, i) => new TelegramUpdateFactory(4600 + i));
    for (const p of people) expect((await f.post(p.command('/start'))).statusCode).toBe(200);
    const total = await f.relais.db.message.count({ where: { direction: 'OUTBOUND' } });
    expect(total).toBe(60);

    await eventually(async () => f.api.open >= 10, 20_000, 10);
    const cutAt = Date.now();
    proxy.cut();
    // the sends under way get their answer while their status cannot be written
    await new Promise((r) => setTimeout(r, 6000));
    proxy.restore();
    const restoredAt = Date.now();
    const answeredDuringOutage = f.api
      .callsOf('sendMessage')
      .filter((c) => c.status === 200 && c.at > cutAt && c.at < restoredAt);
    expect(answeredDuringOutage.length).toBeGreaterThanOrEqual(10);

    await eventually(async () => (await sentCount()) === total, 60_000, 200);
    // a resend would come a few seconds after recovery: give it the time to show
    await new Promise((r) => setTimeout(r, 3000));
    let duplicates = 0;
    for (const p of people) {
      const texts = f.api.textsTo(p.chatId);
      expect(new Set(texts).size).toBe(3);
      duplicates += texts.length - 3;
    }
    expect(duplicates).toBe(0);
    const platformIds = await f.relais.db.message.findMany({
      where: { direction: 'OUTBOUND' },
      select: { platformMessageId: true },
    });
    expect(platformIds.every((m) => m.platformMessageId !== null)).toBe(true);
  }, 120_000);
});
