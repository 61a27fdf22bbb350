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

/**
 * Posts like Telegram does: a 503 is retried (a loaded CI machine can make the pool time out,
 * which rightly answers 503). Redis being down must not be a reason: retries happen while it
 * is still down, so a Redis-caused 503 would come back every time and fail the test.
 */
async function postUntilAnswered(update: object) {
  for (let attempt = 1; ; attempt++) {
    const answer = await f.post(update);
    if (answer.statusCode !== 503 || attempt === 3) return answer;
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
}

describe('Redis stopped during a load and restarted', () => {
  it('loses no inbound message and delivers every reply once Redis is back', async () => {
    const people = Array.from({ length: 12 }, (_, i) => new TelegramUpdateFactory(4501 + i));
    const before = people.slice(0, 4).map((p) => postUntilAnswered(p.command('/start')));
    await redis.stop();
    const during = people.slice(4).map((p) => postUntilAnswered(p.command('/start')));
    const answers = await Promise.all([...before, ...during]);
    // the inbound path never waits on Redis: everything is stored and acknowledged
    expect(answers.map((a) => a.statusCode)).toEqual(people.map(() => 200));
    expect(await f.relais.db.message.count({ where: { direction: 'INBOUND' } })).toBe(12);

    await redis.start();
    await eventually(
      async () => (await f.relais.db.message.count({ where: { direction: 'OUTBOUND', status: 'SENT' } })) === 36,
      45_000,
      250,
    );
    for (const p of people) expect(new Set(f.api.textsTo(p.chatId)).size).toBe(3);
  }, 60_000);
});
