import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { SlotLimiter } from '../../../src/core/outbound/slotLimiter.js';
import { TEST_REDIS_URL } from '../../support/testDatabase.js';

const redis = new Redis(TEST_REDIS_URL);
const limiter = new SlotLimiter(redis);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
afterAll(async () => {
  await redis.quit();
});

describe('send window (at most N sends in any window, counted from completed sends)', () => {
  it('gives the first N places at once, then says how long to wait once a send is done', async () => {
    const key = `test:window:${randomUUID()}`;
    for (const member of ['a', 'b', 'c']) expect(await limiter.acquireWindow(key, member, 3, 400, 5000)).toBe(0);
    // all three in flight, arriving any time within 5 s: the window is full for as long as they may
    expect(await limiter.acquireWindow(key, 'd', 3, 400, 5000)).toBeGreaterThan(400);
    for (const member of ['a', 'b', 'c']) await limiter.completeSend(key, member);
    const wait = await limiter.acquireWindow(key, 'd', 3, 400, 5000);
    expect(wait).toBeGreaterThan(0);
    expect(wait).toBeLessThanOrEqual(401);
    await sleep(wait + 5);
    expect(await limiter.acquireWindow(key, 'd', 3, 400, 5000)).toBe(0);
    await redis.del(key);
  });

  it(
    'a send still waiting for its answer counts as arrived once its arrival bound passed, so slow answers or a dead ' +
      'sender free their places',
    async () => {
      const key = `test:window:${randomUUID()}`;
      // three sends that never complete (a slow platform, or a worker killed mid-send)
      for (const member of ['a', 'b', 'c']) expect(await limiter.acquireWindow(key, member, 3, 400, 100)).toBe(0);
      const arrivedBy = Number(await redis.zscore(key, 'a'));
      // an answer that comes after the arrival bound does not make the send count later
      await sleep(150);
      await limiter.completeSend(key, 'a');
      expect(Number(await redis.zscore(key, 'a'))).toBe(arrivedBy);
      const wait = await limiter.acquireWindow(key, 'd', 3, 400, 100);
      expect(wait).toBeGreaterThan(0);
      expect(wait).toBeLessThanOrEqual(401 - 150 + 100);
      await sleep(wait + 5);
      expect(await limiter.acquireWindow(key, 'd', 3, 400, 100)).toBe(0);
      await redis.del(key);
    },
  );

  it(
    'concurrent senders whose messages arrive late or early ' + 'never exceed the limit as the platform counts',
    async () => {
      const key = `test:window:${randomUUID()}`;
      const limit = 5;
      const windowMs = 300;
      const arrivals: number[] = [];
      // each send "arrives" somewhere between its start and its completion, like an HTTP call
      const send = async (member: string) => {
        for (;;) {
          const wait = await limiter.acquireWindow(key, member, limit, windowMs, 1000);
          if (wait === 0) break;
          await sleep(Math.min(wait, 50));
        }
        await sleep(Math.random() * 30);
        arrivals.push(performance.now());
        await sleep(Math.random() * 30);
        await limiter.completeSend(key, member);
      };
      await Promise.all(
        Array.from({ length: 4 }, async (_, worker) => {
          for (let i = 0; i < 6; i++) await send(`${worker}:${i}`);
        }),
      );
      arrivals.sort((a, b) => a - b);
      expect(arrivals).toHaveLength(24);
      const mostInAnyWindow = Math.max(
        ...arrivals.map((start) => arrivals.filter((t) => t >= start && t < start + windowMs).length),
      );
      expect(mostInAnyWindow).toBeLessThanOrEqual(limit);
      // and the window is used, not starved: 24 sends at 5 per 300 ms need a bit more than 1.2 s
      expect((arrivals.at(-1) ?? 0) - (arrivals[0] ?? 0)).toBeLessThan(3000);
      await redis.del(key);
    },
  );

  it('a high-priority sender kept waiting gets the next free place; low-priority senders wait for it', async () => {
    const key = `test:window:${randomUUID()}`;
    for (const member of ['a', 'b']) expect(await limiter.acquireWindow(key, member, 2, 300, 5000, 'low')).toBe(0);
    for (const member of ['a', 'b']) await limiter.completeSend(key, member);
    // the window is full: the reply claims the next place, the announcement message is only told to wait
    const replyWait = await limiter.acquireWindow(key, 'reply', 2, 300, 5000, 'high');
    expect(replyWait).toBeGreaterThan(0);
    expect(await limiter.acquireWindow(key, 'announcement', 2, 300, 5000, 'low')).toBeGreaterThan(0);
    await sleep(replyWait + 5);
    // a place is free, but it is the reply's: the announcement is told to look again at once (1 ms)
    expect(await limiter.acquireWindow(key, 'announcement', 2, 300, 5000, 'low')).toBe(1);
    expect(await limiter.acquireWindow(key, 'reply', 2, 300, 5000, 'high')).toBe(0);
    // the claim is gone with the place it was for: the next free place goes to whoever asks
    await sleep(350);
    expect(await limiter.acquireWindow(key, 'announcement', 2, 300, 5000, 'low')).toBe(0);
    await redis.del(key, `${key}:claim`);
  });

  it('a claim whose holder never comes back lapses, and low-priority senders go on', async () => {
    const key = `test:window:${randomUUID()}`;
    expect(await limiter.acquireWindow(key, 'a', 1, 200, 5000, 'low')).toBe(0);
    await limiter.completeSend(key, 'a');
    const wait = await limiter.acquireWindow(key, 'dead-reply', 1, 200, 5000, 'high');
    expect(wait).toBeGreaterThan(0);
    await sleep(wait + 5);
    expect(await limiter.acquireWindow(key, 'announcement', 1, 200, 5000, 'low')).toBe(1);
    // its holder was killed: 50 ms after the place freed, the claim is gone
    await sleep(60);
    expect(await limiter.acquireWindow(key, 'announcement', 1, 200, 5000, 'low')).toBe(0);
    await redis.del(key, `${key}:claim`);
  });
});
