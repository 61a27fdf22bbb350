import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestRelais, type TestRelais } from '../../support/testRelais.js';

let t: TestRelais;
beforeAll(async () => {
  t = await startTestRelais('webchat_rate', {
    WEBCHAT_RATE_PER_SESSION_PER_MIN: '5',
    WEBCHAT_RATE_PER_IP_PER_MIN: '12',
    WEBCHAT_NEW_SESSIONS_PER_IP_PER_HOUR: '8',
  });
});
afterAll(async () => {
  await t?.close();
});

let n = 0;
const post = (sessionId: string, remoteAddress = '203.0.113.7', language = 'en') => {
  const clientMessageId = `rate${String(++n).padStart(6, '0')}`;
  const payload = { kind: 'text', sessionId, language, clientMessageId, text: 'hello' };
  return t.relais.app.inject({ method: 'POST', url: '/chat/api/messages', remoteAddress, payload });
};
const stored = (sessionId: string) =>
  t.relais.db.message.count({
    where: { channel: 'WEB', direction: 'INBOUND', dedupeKey: { startsWith: `${sessionId}:` } },
  });

describe('web chat rate limit', () => {
  it('a session past its limit gets 429 with Retry-After, and the refused post is not stored', async () => {
    const session = 'rate_session_one_0123456789';
    const statuses = [];
    for (let i = 0; i < 6; i++) statuses.push((await post(session)).statusCode);
    expect(statuses).toEqual([202, 202, 202, 202, 202, 429]);
    const refused = await post(session);
    expect(refused.statusCode).toBe(429);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(Number(refused.headers['retry-after'])).toBeLessThanOrEqual(60);
    expect(refused.json()).toMatchObject({ error: 'RELAIS_RATE_LIMITED' });
    expect(await stored(session)).toBe(5);
  });

  it(
    'a script inventing a new session per post is ' + 'stopped by the per-address limit; other addresses are not',
    async () => {
      const statuses = [];
      // 7 posts of this address were counted by the previous test
      for (let i = 0; i < 6; i++) statuses.push((await post(`rate_script_session_${i}_abcdefgh`)).statusCode);
      expect(statuses).toEqual([202, 202, 202, 202, 202, 429]);
      expect(await stored('rate_script_session_5_abcdefgh')).toBe(0);
      expect((await post('rate_other_person_0123456789', '198.51.100.20')).statusCode).toBe(202);
    },
  );

  it("new sessions past the hourly cap of an address get 429 in the page's language; known ones go on", async () => {
    const address = '192.0.2.50';
    const statuses = [];
    for (let i = 0; i < 9; i++) {
      statuses.push((await post(`rate_new_session_${i}_abcdefghij`, address, 'fr-FR')).statusCode);
    }
    expect(statuses).toEqual([202, 202, 202, 202, 202, 202, 202, 202, 429]);
    const refused = await post('rate_new_session_9_abcdefghij', address, 'fr-FR');
    expect(refused.statusCode).toBe(429);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(60);
    expect(Number(refused.headers['retry-after'])).toBeLessThanOrEqual(3600);
    const message = t.relais.i18n.t('fr', 'channel:web.too_many_new_sessions');
    expect(refused.json()).toMatchObject({ error: 'RELAIS_TOO_MANY_NEW_SESSIONS', message });
    // each refused session cost nothing: no contact, no identity, no message
    expect(await stored('rate_new_session_8_abcdefghij')).toBe(0);
    // sessions taken: 1 in the first test, 5 + 1 in the second, 8 here
    expect(await t.relais.db.channelIdentity.count({ where: { channel: 'WEB' } })).toBe(15);
    expect((await post('rate_new_session_0_abcdefghij', address)).statusCode).toBe(202);
    expect((await post('rate_new_session_other_address', '192.0.2.51')).statusCode).toBe(202);
  });

  it(
    'keeps its counters in Redis under readable keys of ' + 'the deployment prefix, never a session id or an address',
    async () => {
      const keys = await t.relais.redis.keys(`${t.config.QUEUE_PREFIX}:webchat-rate:*`);
      expect(keys.filter((k) => k.includes('undefined'))).toEqual([]);
      const address = (ip: string) => t.relais.secrets.hash(`webchat-ip:${ip}`).slice(0, 32);
      expect(keys).toContain(`${t.config.QUEUE_PREFIX}:webchat-rate:ip:${address('203.0.113.7')}`);
      expect(keys).toContain(`${t.config.QUEUE_PREFIX}:webchat-rate:new-session:${address('192.0.2.50')}`);
      expect(keys.some((k) => k.includes('203.0.113.7') || k.includes('192.0.2.50'))).toBe(false);
      expect(keys.some((k) => /:webchat-rate:session:[0-9a-f]{32}$/.test(k))).toBe(true);
      expect(keys.some((k) => k.includes('rate_session_one'))).toBe(false);
    },
  );
});
