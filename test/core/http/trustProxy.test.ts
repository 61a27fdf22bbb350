import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../../src/core/config.js';
import { startTestRelais, type TestRelais } from '../../support/testRelais.js';

const PER_IP = 5;
const PRODUCTION_SECRET = 'a-production-secret-0123456789';
let n = 0;

function post(t: TestRelais, remoteAddress: string, forwardedFor?: string) {
  n += 1;
  return t.relais.app.inject({
    method: 'POST',
    url: '/chat/api/messages',
    remoteAddress,
    headers: forwardedFor ? { 'x-forwarded-for': forwardedFor } : {},
    payload: {
      kind: 'text',
      sessionId: `proxy_session_${String(n).padStart(6, '0')}_abcdefgh`,
      clientMessageId: `px${String(n).padStart(6, '0')}`,
      text: 'hello',
    },
  });
}

const spoofed = (i: number) => `198.18.${Math.floor(i / 250)}.${(i % 250) + 1}`;

/** the rate-limit key of a client address: a keyed hash, as webChatRateLimit.ts writes it */
function addressKey(t: TestRelais, address: string): string {
  return t.relais.secrets.hash(`webchat-ip:${address}`).slice(0, 32);
}

describe('TRUST_PROXY configuration', () => {
  const trust = (value: string) => loadConfig({ TRUST_PROXY: value }).TRUST_PROXY;

  it('is off by default and takes off, a hop count, addresses and CIDRs', () => {
    expect(loadConfig({}).TRUST_PROXY).toBe(false);
    expect(loadConfig({ NODE_ENV: 'production', APP_SECRET: PRODUCTION_SECRET }).TRUST_PROXY).toBe(false);
    expect(trust('off')).toBe(false);
    expect(trust('1')).toBe(1);
    expect(trust('2')).toBe(2);
    expect(trust('10.0.0.2')).toEqual(['10.0.0.2']);
    expect(trust('127.0.0.1, 172.16.0.0/12,fd00::/8')).toEqual(['127.0.0.1', '172.16.0.0/12', 'fd00::/8']);
    expect(trust('loopback,uniquelocal')).toEqual(['loopback', 'uniquelocal']);
  });

  it('refuses garbage, and "true" (any client believed), with one clear line', () => {
    const garbage = ['true', 'yes', '10.0.0.300', '10.0.0.0/33', 'proxy.example.org', '1.5', '10.0.0.1/8/2', '-1'];
    for (const value of garbage) {
      try {
        loadConfig({ TRUST_PROXY: value });
        expect.unreachable(`${value} was accepted`);
      } catch (error) {
        expect(error).toBeInstanceOf(ConfigError);
        const problems = error instanceof ConfigError ? error.problems : [];
        expect(problems).toHaveLength(1);
        expect(problems[0]).toMatch(/^TRUST_PROXY: .*expected off, a number of proxy hops/);
        expect(problems[0]).not.toContain('\n');
      }
    }
  });
});

describe('a script spoofing X-Forwarded-For on the web chat', () => {
  describe('with the default (no proxy trusted), even in production', () => {
    let t: TestRelais;
    beforeAll(async () => {
      const production = { NODE_ENV: 'production', APP_SECRET: PRODUCTION_SECRET };
      t = await startTestRelais('trust_off', { ...production, WEBCHAT_RATE_PER_IP_PER_MIN: String(PER_IP) });
    });
    afterAll(async () => {
      await t?.close();
    });

    it('is counted as its one address: a new forged address per post does not reset the limit', async () => {
      const statuses: number[] = [];
      for (let i = 0; i < PER_IP + 3; i++) statuses.push((await post(t, '203.0.113.9', spoofed(i))).statusCode);
      expect(statuses.slice(0, PER_IP)).toEqual(Array<number>(PER_IP).fill(202));
      expect(statuses.slice(PER_IP)).toEqual([429, 429, 429]);
      const contacts = await t.relais.db.channelIdentity.count({ where: { channel: 'WEB' } });
      expect(contacts).toBe(PER_IP);
    });
  });

  describe('with TRUST_PROXY=1 (one reverse proxy in front)', () => {
    let t: TestRelais;
    const proxy = '172.18.0.1';
    beforeAll(async () => {
      t = await startTestRelais('trust_one', { TRUST_PROXY: '1', WEBCHAT_RATE_PER_IP_PER_MIN: String(PER_IP) });
    });
    afterAll(async () => {
      await t?.close();
    });

    it("trusts exactly the proxy's hop: the forged entries before it are ignored", async () => {
      const statuses: number[] = [];
      // the proxy appends the address it saw; what the client wrote stays in front
      for (let i = 0; i < PER_IP + 2; i++) {
        statuses.push((await post(t, proxy, `${spoofed(i)}, 203.0.113.10`)).statusCode);
      }
      expect(statuses).toEqual([...Array<number>(PER_IP).fill(202), 429, 429]);
    });

    it('tells two people behind the same proxy apart', async () => {
      expect((await post(t, proxy, '203.0.113.11')).statusCode).toBe(202);
      const keys = await t.relais.redis.keys(`${t.config.QUEUE_PREFIX}:webchat-rate:*ip:*`);
      // the key holds a keyed hash of the address the proxy saw, never an address
      expect(keys.some((k) => k.endsWith(`ip:${addressKey(t, '203.0.113.11')}`))).toBe(true);
      expect(keys.some((k) => k.endsWith(`ip:${addressKey(t, proxy)}`) || k.includes('198.18.'))).toBe(false);
    });
  });

  describe("with TRUST_PROXY set to the proxy's address", () => {
    let t: TestRelais;
    beforeAll(async () => {
      t = await startTestRelais('trust_list', { TRUST_PROXY: '10.0.0.2', WEBCHAT_RATE_PER_IP_PER_MIN: String(PER_IP) });
    });
    afterAll(async () => {
      await t?.close();
    });

    it('believes the header only from that proxy; a client reaching the port directly is its own address', async () => {
      expect((await post(t, '10.0.0.2', '203.0.113.12')).statusCode).toBe(202);
      const statuses: number[] = [];
      for (let i = 0; i < PER_IP + 1; i++) statuses.push((await post(t, '203.0.113.13', spoofed(i))).statusCode);
      expect(statuses).toEqual([...Array<number>(PER_IP).fill(202), 429]);
      const keys = await t.relais.redis.keys(`${t.config.QUEUE_PREFIX}:webchat-rate:*ip:*`);
      const expected = ['203.0.113.12', '203.0.113.13'].map((a) => `ip:${addressKey(t, a)}`);
      expect(keys.filter((k) => expected.some((e) => k.endsWith(e)))).toHaveLength(2);
    });
  });
});
