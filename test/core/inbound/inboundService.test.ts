import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRelais } from '../../../src/relais.js';
import { loadConfig } from '../../../src/core/config.js';
import { DependencyUnavailable } from '../../../src/core/errors.js';
import { FakeChannel } from '../../support/fakeChannel.js';
import { eventually, LogCapture, startTestRelais, type TestRelais } from '../../support/testRelais.js';

let t: TestRelais;
const channel = new FakeChannel('TELEGRAM');

beforeAll(async () => {
  t = await startTestRelais('inbound', {}, { transports: () => [channel] });
});
afterAll(async () => {
  await t?.close();
});

const inbound = (from: string, dedupeKey: string, text: string) => ({ channel: 'TELEGRAM' as const, platformId: from, dedupeKey, receivedAt: new Date(), content: { kind: 'text' as const, text } });

describe('durable inbound path', () => {
  it('a replayed update is stored once and answered once, sequentially and concurrently', async () => {
    const first = await t.relais.receive(inbound('1001', 'update-1', 'hello'));
    const again = await t.relais.receive(inbound('1001', 'update-1', 'hello'));
    expect(first.status).toBe('accepted');
    expect(again.status).toBe('duplicate');
    const results = await Promise.all([1, 2, 3].map(() => t.relais.receive(inbound('1001', 'update-2', '2'))));
    expect(results.filter((r) => r.status === 'accepted')).toHaveLength(1);
    expect(await t.relais.db.message.count({ where: { direction: 'INBOUND', dedupeKey: { in: ['update-1', 'update-2'] } } })).toBe(2);
    // first contact: welcome + notice + language list; then the language choice: set + erase hint + menu
    await eventually(async () => channel.textsTo('1001').length >= 6);
    await new Promise((r) => setTimeout(r, 500));
    expect(channel.textsTo('1001')).toHaveLength(3 + 3);
  });

  it('first messages of a new person arriving at once create one contact and one identity, and no stray contact', async () => {
    const { db } = t.relais;
    const contactsBefore = await db.contact.count();
    const results = await Promise.all(Array.from({ length: 6 }, (_, i) => t.relais.receive(inbound('5005', `first-${i}`, `hello ${i}`))));
    expect(results.every((r) => r.status === 'accepted')).toBe(true);
    const contactIds = new Set(results.map((r) => (r.status === 'accepted' ? r.contactId : '')));
    expect(contactIds.size).toBe(1);
    expect(await db.contact.count()).toBe(contactsBefore + 1);
    const [contactId = ''] = [...contactIds];
    expect(await db.channelIdentity.count({ where: { contactId } })).toBe(1);
    expect(await db.message.count({ where: { contactId, direction: 'INBOUND' } })).toBe(6);
  });

  it('stores no phone number or platform id in clear', async () => {
    await t.relais.receive(inbound('+33612345678', 'update-phone', 'hi'));
    const identity = await t.relais.db.channelIdentity.findFirstOrThrow({ orderBy: { createdAt: 'desc' } });
    expect(JSON.stringify(identity)).not.toContain('33612345678');
    expect(t.relais.secrets.decrypt(identity.addressCipher)).toBe('+33612345678');
  });

  it('delivers replies to one person in the order they were written', async () => {
    await channel.sendEvent('2002', { kind: 'start' });
    await eventually(async () => channel.textsTo('2002').length >= 3);
    const texts = channel.textsTo('2002');
    expect(texts[0]).toBe(t.relais.i18n.t('en', 'onboarding:welcome'));
    expect(texts[2]).toBe(t.relais.i18n.t('en', 'onboarding:choose_language'));
  });

  it('a message the platform refuses for good is marked FAILED and does not hold back other people', async () => {
    channel.rejectAddresses.add('3003');
    await channel.sendEvent('3003', { kind: 'start' });
    await channel.sendEvent('3004', { kind: 'start' });
    await eventually(async () => channel.textsTo('3004').length >= 3);
    const failed = await eventually(async () => {
      const n = await t.relais.db.message.count({ where: { status: 'FAILED', lastError: { contains: 'blocked' } } });
      return n >= 3 ? n : undefined;
    });
    expect(failed).toBeGreaterThanOrEqual(3);
  });

  it('retries after a platform rate limit and a network error without losing the message', async () => {
    channel.failNext('rate-limit', 'network');
    await channel.sendEvent('4004', { kind: 'start' });
    await eventually(async () => channel.textsTo('4004').length >= 3, 20_000);
    expect(channel.textsTo('4004')).toHaveLength(3);
  });

  it('a restart mid-conversation continues at the same step', async () => {
    await channel.text('5005', 'hi');
    await channel.text('5005', '2'); // English -> menu
    await channel.text('5005', 'language'); // now on the language question
    const contact = await t.relais.db.channelIdentity.findFirstOrThrow({ where: { channel: 'TELEGRAM', platformIdHash: t.relais.secrets.hash('TELEGRAM:5005') } });
    // a second service process on the same database (as after a restart) continues the conversation
    const second = await createRelais(t.config, { transports: () => [], workers: false, web: false, logDestination: new LogCapture() });
    await second.start();
    try {
      await second.receive(inbound('5005', 'restart-1', '1')); // French
      const updated = await second.db.contact.findUniqueOrThrow({ where: { id: contact.contactId } });
      expect(updated.language).toBe('fr');
    } finally {
      await second.stop();
    }
  });

  it('while Redis is unreachable, inbound messages are stored and answered once Redis is back', async () => {
    const config = loadConfig({ ...envOf(t), REDIS_URL: 'redis://127.0.0.1:6390' });
    const cut = await createRelais(config, { transports: () => [], workers: false, web: false, logDestination: new LogCapture() });
    await cut.start();
    try {
      const result = await cut.receive(inbound('6006', 'redis-down-1', 'hello'));
      expect(result.status).toBe('accepted');
      // the replies are safe in the Postgres outbox (the other service's sweep may already be delivering them)
      const stored = await cut.db.message.count({ where: { direction: 'OUTBOUND', contact: { identities: { some: { platformIdHash: cut.secrets.hash('TELEGRAM:6006') } } } } });
      expect(stored).toBe(3);
    } finally {
      await cut.stop();
    }
    // the running service (Redis reachable) sweeps the outbox and delivers
    await eventually(async () => channel.textsTo('6006').length >= 3, 15_000);
    expect(channel.textsTo('6006')).toHaveLength(3);
  });

  it('answers 503-worthy DependencyUnavailable when Postgres cannot be reached, and stores nothing', async () => {
    const config = loadConfig({ ...envOf(t), DATABASE_URL: 'postgresql://postgres@127.0.0.1:5499/nowhere', DATABASE_CONNECT_TIMEOUT_MS: '500' });
    const down = await createRelais(config, { transports: () => [], workers: false, web: false, logDestination: new LogCapture() });
    await down.app.ready();
    try {
      await expect(down.receive(inbound('7007', 'pg-down-1', 'hello'))).rejects.toBeInstanceOf(DependencyUnavailable);
    } finally {
      await down.stop();
    }
  });

  it('messages of one person sent all at once are processed one after the other, each seeing the state the previous one left', async () => {
    await channel.sendEvent('9009', { kind: 'start' });
    const results = await Promise.all(Array.from({ length: 40 }, (_, i) => channel.text('9009', `burst ${i}`)));
    expect(results.filter((r) => r.status === 'throttled')).toHaveLength(40 + 1 - t.config.FLOOD_MAX_PER_MINUTE);
    const notice = t.relais.i18n.t('en', 'common:too_many_messages');
    await eventually(async () => channel.textsTo('9009').includes(notice));
    await new Promise((r) => setTimeout(r, 500));
    // with a stale read, several turns would each believe they were the 21st message
    expect(channel.textsTo('9009').filter((x) => x === notice)).toHaveLength(1);
  });

  it('one person flooding gets one polite message and others are unaffected', async () => {
    const results = [];
    for (let i = 0; i < 40; i++) results.push(await channel.text('8008', `spam ${i}`));
    expect(results.filter((r) => r.status === 'throttled')).toHaveLength(40 - t.config.FLOOD_MAX_PER_MINUTE);
    const other = await channel.text('8009', 'hello');
    expect(other.status).toBe('accepted');
    await eventually(async () => channel.textsTo('8008').includes(t.relais.i18n.t('en', 'common:too_many_messages')));
    await new Promise((r) => setTimeout(r, 500));
    expect(channel.textsTo('8008').filter((x) => x === t.relais.i18n.t('en', 'common:too_many_messages'))).toHaveLength(1);
    expect(await t.relais.db.message.count({ where: { direction: 'INBOUND', contact: { identities: { some: { platformIdHash: t.relais.secrets.hash('TELEGRAM:8008') } } } } })).toBe(40);
  });
});

function envOf(test: TestRelais): Record<string, string> {
  return { NODE_ENV: 'test', LOG_LEVEL: 'info', DATABASE_URL: test.config.DATABASE_URL, REDIS_URL: test.config.REDIS_URL, QUEUE_PREFIX: test.config.QUEUE_PREFIX, APP_SECRET: test.config.APP_SECRET };
}
