import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TelegramUpdateFactory } from '../support/telegramUpdates.js';
import { eventually } from '../support/testRelais.js';
import { startFaultRelais, type FaultRelais } from './support/faultRelais.js';
import { PrivateRedis } from './support/privateRedis.js';

let f: FaultRelais;
let redis: PrivateRedis;
beforeAll(async () => {
  redis = await new PrivateRedis().start();
  f = await startFaultRelais('fault_redis', { redisUrl: redis.url });
});
afterAll(async () => {
  await redis?.start().catch(() => undefined);
  await f?.close();
  await redis?.stop();
});

describe('Redis stopped during a load and restarted', () => {
  it('loses no inbound message and delivers every reply once Redis is back', async () => {
    const people = Array.from({ length: 12 }, (_, i) => new TelegramUpdateFactory(4501 + i));
    const before = people.slice(0, 4).map((p) => f.post(p.command('/start')));
    await redis.stop();
    const during = people.slice(4).map((p) => f.post(p.command('/start')));
    const answers = await Promise.all([...before, ...during]);
    // the inbound path never waits on Redis: everything is stored and acknowledged
    expect(answers.map((a) => a.statusCode)).toEqual(people.map(() => 200));
    expect(await f.relais.db.message.count({ where: { direction: 'INBOUND' } })).toBe(12);

    await redis.start();
    await eventually(async () => (await f.relais.db.message.count({ where: { direction: 'OUTBOUND', status: 'SENT' } })) === 36, 45_000, 250);
    for (const p of people) expect(new Set(f.api.textsTo(p.chatId)).size).toBe(3);
  }, 60_000);
});
