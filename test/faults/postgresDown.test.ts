import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TelegramUpdateFactory } from '../support/telegramUpdates.js';
import { eventually } from '../support/testRelais.js';
import { FAULT_BOT_ID, startFaultRelais, type FaultRelais } from './support/faultRelais.js';
import { TcpProxy } from './support/tcpProxy.js';

let f: FaultRelais;
let proxy: TcpProxy;
beforeAll(async () => {
  proxy = await new TcpProxy('127.0.0.1', 5432).start();
  f = await startFaultRelais('fault_pg', {
    db: (url) => {
      const viaProxy = new URL(url);
      viaProxy.port = String(proxy.port);
      return viaProxy.toString();
    },
  });
});
afterAll(async () => {
  proxy?.restore();
  await f?.close();
  await proxy?.close();
});

const stored = (updateId: number) =>
  f.relais.db.message.count({ where: { channel: 'TELEGRAM', dedupeKey: `tg:${FAULT_BOT_ID}:${updateId}` } });

describe('Postgres unreachable', () => {
  it(
    'webhooks answer 503 while /readyz says Postgres is down, and the retried updates are all processed after ' +
      'recovery',
    async () => {
      const people = [4201, 4202, 4203].map((id) => new TelegramUpdateFactory(id));
      const updates = people.map((p) => p.command('/start'));
      proxy.cut();
      const during = await Promise.all(updates.map((u) => f.post(u)));
      expect(during.map((r) => r.statusCode)).toEqual([503, 503, 503]);
      expect(during[0]?.headers['retry-after']).toBeDefined();
      const ready = await f.relais.app.inject({ method: 'GET', url: '/readyz' });
      expect(ready.statusCode).toBe(503);
      expect(ready.json()).toMatchObject({ checks: { postgres: 'unreachable', redis: 'ok' } });

      proxy.restore();
      // nothing was acknowledged, so nothing may be stored yet; Telegram delivers again
      for (const u of updates) expect(await stored(u.update_id)).toBe(0);
      await eventually(
        async () => (await f.relais.app.inject({ method: 'GET', url: '/readyz' })).statusCode === 200,
        15_000,
        200,
      );
      const after = await Promise.all(updates.map((u) => f.post(u)));
      expect(after.map((r) => r.statusCode)).toEqual([200, 200, 200]);
      for (const u of updates) expect(await stored(u.update_id)).toBe(1);
      for (const p of people) await eventually(async () => f.api.textsTo(p.chatId).length >= 3);
    },
  );
});
