import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRelais } from '../../../src/relais.js';
import { loadConfig } from '../../../src/core/config.js';
import { DependencyUnavailable } from '../../../src/core/errors.js';
import { FakeChannel } from '../../support/fakeChannel.js';
import { Person } from '../../support/person.js';
import { eventually, LogCapture, startTestRelais, type TestRelais } from '../../support/testRelais.js';

let t: TestRelais;
const channel = new FakeChannel('TELEGRAM');

beforeAll(async () => {
  // a low flood limit keeps the flood tests short (the default is meant for people, not bursts)
  t = await startTestRelais('inbound', { FLOOD_MAX_PER_MINUTE: '20' }, { transports: () => [channel] });
});
afterAll(async () => {
  await t?.close();
});

const inbound = (from: string, dedupeKey: string, text: string) => ({
  channel: 'TELEGRAM' as const,
  platformId: from,
  dedupeKey,
  receivedAt: new Date(),
  content: { kind: 'text' as const, text },
});

describe('durable inbound path', () => {
  it('a replayed update is stored once and answered once, sequentially and concurrently', async () => {
    const first = await t.relais.receive(inbound('1001', 'update-1', 'hello'));
    const again = await t.relais.receive(inbound('1001', 'update-1', 'hello'));
    expect(first.status).toBe('accepted');
    expect(again.status).toBe('duplicate');
    const results = await Promise.all([1, 2, 3].map(() => t.relais.receive(inbound('1001', 'update-2', '2'))));
    expect(results.filter((r) => r.status === 'accepted')).toHaveLength(1);
    expect(
      await t.relais.db.message.count({ where: { direction: 'INBOUND', dedupeKey: { in: ['update-1', 'update-2'] } } }),
    ).toBe(2);
    // first contact: welcome + notice + language list; then the language choice: set + erase hint + menu
    await eventually(async () => channel.textsTo('1001').length >= 6);
    await new Promise((r) => setTimeout(r, 500));
    expect(channel.textsTo('1001')).toHaveLength(3 + 3);
  });

  it(
    'first messages of a new person arriving at once ' + 'create one contact and one identity, and no stray contact',
    async () => {
      const { db } = t.relais;
      const contactsBefore = await db.contact.count();
      const results = await Promise.all(
        Array.from({ length: 6 }, (_, i) => t.relais.receive(inbound('5005', `first-${i}`, `hello ${i}`))),
      );
      expect(results.every((r) => r.status === 'accepted')).toBe(true);
      const contactIds = new Set(results.map((r) => (r.status === 'accepted' ? r.contactId : '')));
      expect(contactIds.size).toBe(1);
      expect(await db.contact.count()).toBe(contactsBefore + 1);
      const [contactId = ''] = [...contactIds];
      expect(await db.channelIdentity.count({ where: { contactId } })).toBe(1);
      expect(await db.message.count({ where: { contactId, direction: 'INBOUND' } })).toBe(6);
    },
  );

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
    const contact = await t.relais.db.channelIdentity.findFirstOrThrow({
      where: { channel: 'TELEGRAM', platformIdHash: t.relais.secrets.hash('TELEGRAM:5005') },
    });
    // a second service process on the same database (as after a restart) continues the conversation
    const second = await createRelais(t.config, {
      transports: () => [],
      workers: false,
      web: false,
      logDestination: new LogCapture(),
    });
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
    const cut = await createRelais(config, {
      transports: () => [],
      workers: false,
      web: false,
      logDestination: new LogCapture(),
    });
    await cut.start();
    try {
      const result = await cut.receive(inbound('6006', 'redis-down-1', 'hello'));
      expect(result.status).toBe('accepted');
      // the replies are safe in the Postgres outbox (the other service's sweep may already be delivering them)
      const stored = await cut.db.message.count({
        where: {
          direction: 'OUTBOUND',
          contact: { identities: { some: { platformIdHash: cut.secrets.hash('TELEGRAM:6006') } } },
        },
      });
      expect(stored).toBe(3);
    } finally {
      await cut.stop();
    }
    // the running service (Redis reachable) sweeps the outbox and delivers
    await eventually(async () => channel.textsTo('6006').length >= 3, 15_000);
    expect(channel.textsTo('6006')).toHaveLength(3);
  });

  it('answers 503-worthy DependencyUnavailable when Postgres cannot be reached, and stores nothing', async () => {
    const config = loadConfig({
      ...envOf(t),
      DATABASE_URL: 'postgresql://postgres@127.0.0.1:5499/nowhere',
      DATABASE_CONNECT_TIMEOUT_MS: '500',
    });
    const down = await createRelais(config, {
      transports: () => [],
      workers: false,
      web: false,
      logDestination: new LogCapture(),
    });
    await down.app.ready();
    try {
      await expect(down.receive(inbound('7007', 'pg-down-1', 'hello'))).rejects.toBeInstanceOf(DependencyUnavailable);
    } finally {
      await down.stop();
    }
  });

  it(
    'messages of one person sent all at once are processed one after the other, each seeing the state the previous ' +
      'one left',
    async () => {
      await channel.sendEvent('9009', { kind: 'start' });
      const burst = t.config.FLOOD_MAX_PER_MINUTE + 20;
      const results = await Promise.all(Array.from({ length: burst }, (_, i) => channel.text('9009', `burst ${i}`)));
      expect(results.filter((r) => r.status === 'throttled')).toHaveLength(burst + 1 - t.config.FLOOD_MAX_PER_MINUTE);
      const notice = t.relais.i18n.t('en', 'common:too_many_messages');
      await eventually(async () => channel.textsTo('9009').includes(notice));
      await new Promise((r) => setTimeout(r, 500));
      // with a stale read, several turns would each believe they were the 21st message
      expect(channel.textsTo('9009').filter((x) => x === notice)).toHaveLength(1);
    },
  );

  it(
    'messages of several people arriving together are committed ' + 'in one transaction, each with its own replies',
    async () => {
      const people = Array.from({ length: 6 }, (_, i) => `batch-${i}`);
      const results = await Promise.all(
        people.map((who, i) => t.relais.receive(inbound(who, `batch-first-${i}`, 'hello'))),
      );
      expect(results.every((r) => r.status === 'accepted')).toBe(true);
      const ids = results.map((r) => (r.status === 'accepted' ? r.messageId : ''));
      // xmin: the transaction that wrote the row
      const [row] = await t.relais.db.$queryRaw<
        Array<{ transactions: number }>
      >`SELECT count(DISTINCT xmin::text)::int AS transactions FROM "Message" WHERE id = ANY (${ids}::uuid[])`;
      expect(row?.transactions).toBe(1);
      for (const who of people) await eventually(async () => channel.textsTo(who).length >= 3);
      for (const who of people)
        expect(channel.textsTo(who)[2]).toBe(t.relais.i18n.t('en', 'onboarding:choose_language'));
    },
  );

  it(
    'a person writing from two accounts at once is processed one message after the other, even when both arrive ' +
      'together',
    async () => {
      const { db, secrets } = t.relais;
      const first = await t.relais.receive(inbound('two-accounts-1', 'two-1', 'hello'));
      if (first.status !== 'accepted') throw new Error('first message not accepted');
      // the second account is linked to the same person (as a reconnection code does)
      await db.channelIdentity.create({
        data: {
          channel: 'TELEGRAM',
          platformIdHash: secrets.hash('TELEGRAM:two-accounts-2'),
          addressCipher: secrets.encrypt('two-accounts-2'),
          contactId: first.contactId,
          profileIds: [first.contactId],
        },
      });
      const floodCount = async () => {
        const [row] = await db.$queryRaw<
          Array<{ count: number }>
        >`SELECT (state->'flood'->>'count')::int AS count FROM "Conversation"
          WHERE "contactId" = ${first.contactId}::uuid`;
        return row?.count;
      };
      const before = await floodCount();
      const results = await Promise.all([
        t.relais.receive(inbound('two-accounts-1', 'two-2', 'a')),
        t.relais.receive(inbound('two-accounts-2', 'two-3', 'b')),
      ]);
      expect(results.map((r) => r.status)).toEqual(['accepted', 'accepted']);
      // with both turns in one transaction, each would read the state before the other and one count would be lost
      expect(await floodCount()).toBe((before ?? 0) + 2);
    },
  );

  it(
    'a turn that fails in a batch does not take ' + 'the others down: they are processed, it gets the apology',
    async () => {
      const { db } = t.relais;
      const people = ['sturdy-0', 'sturdy-1', 'sturdy-2', 'faulty'];
      const first = await Promise.all(
        people.map((who) => t.relais.receive(inbound(who, `sturdy-first-${who}`, 'hello'))),
      );
      const faulty = first[3];
      if (faulty?.status !== 'accepted') throw new Error('first message not accepted');
      // a stand-in for a bug in this person's turn: saving their conversation fails
      await db.$executeRawUnsafe(
        `CREATE FUNCTION refuse_faulty() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN
           IF NEW."contactId" = '${faulty.contactId}' THEN RAISE EXCEPTION 'stand-in for a bug'; END IF;
           RETURN NEW;
         END $$`,
      );
      await db.$executeRawUnsafe(
        'CREATE TRIGGER refuse_faulty BEFORE INSERT OR UPDATE ON "Conversation" ' +
          'FOR EACH ROW EXECUTE FUNCTION refuse_faulty()',
      );
      const reruns = async () =>
        (await t.relais.metrics.inboundReruns.get()).values.find((v) => v.labels.reason === 'rolled_back')?.value ?? 0;
      const rerunsBefore = await reruns();
      try {
        const results = await Promise.all(
          people.map((who) => t.relais.receive(inbound(who, `sturdy-second-${who}`, '2'))),
        );
        expect(results.map((r) => r.status)).toEqual(['accepted', 'accepted', 'accepted', 'accepted']);
        const set = t.relais.i18n.t('en', 'onboarding:language_set');
        for (const who of people.slice(0, 3)) await eventually(async () => channel.textsTo(who).includes(set));
        await eventually(async () => channel.textsTo('faulty').includes(t.relais.i18n.t('en', 'common:error')));
        expect(
          await db.message.count({ where: { direction: 'INBOUND', dedupeKey: { startsWith: 'sturdy-second-' } } }),
        ).toBe(4);
        // the four were batched, rolled back together, and run again alone (operators see it)
        expect((await reruns()) - rerunsBefore).toBe(4);
      } finally {
        await db.$executeRawUnsafe('DROP TRIGGER refuse_faulty ON "Conversation"');
        await db.$executeRawUnsafe('DROP FUNCTION refuse_faulty()');
      }
    },
  );

  it(
    'a turn that needs a Prisma transaction leaves its batch: it runs alone, stored once, and the others are ' +
      'committed together',
    async () => {
      const people = ['leaver', 'stayer-0', 'stayer-1', 'stayer-2'].map((who) => new Person(t.relais, channel, who));
      for (const person of people) await person.onboard();
      // the place search runs a Prisma query: the leaver stands at its last step, asks for the list;
      // the others send an unknown text (the menu again)
      await people[0]?.choose('orientation', 'DISTRIBUTION');
      const results = await Promise.all(
        people.map((person, i) =>
          t.relais.receive({
            ...inbound(person.platformId, `leave-${i}`, 'x'),
            content: i === 0 ? { kind: 'choice' as const, choiceId: 'list' } : { kind: 'text' as const, text: 'zzz' },
          }),
        ),
      );
      expect(results.map((r) => r.status)).toEqual(['accepted', 'accepted', 'accepted', 'accepted']);
      const ids = results.map((r) => (r.status === 'accepted' ? r.messageId : ''));
      const rows = await t.relais.db.$queryRaw<
        Array<{ id: string; tx: string }>
      >`SELECT id, xmin::text AS tx FROM "Message" WHERE id = ANY (${ids}::uuid[])`;
      expect(rows).toHaveLength(4);
      const txOf = new Map(rows.map((r) => [r.id, r.tx]));
      expect(new Set(ids.slice(1).map((id) => txOf.get(id))).size).toBe(1);
      expect(txOf.get(ids[0] ?? '')).not.toBe(txOf.get(ids[1] ?? ''));
      expect(
        await t.relais.db.message.count({ where: { direction: 'INBOUND', dedupeKey: { startsWith: 'leave-' } } }),
      ).toBe(4);
      await eventually(async () => channel.textsTo('leaver').includes(t.relais.i18n.t('en', 'orientation:none')));
    },
  );

  it('one person flooding gets one polite message and others are unaffected', async () => {
    const results = [];
    const flood = t.config.FLOOD_MAX_PER_MINUTE + 20;
    for (let i = 0; i < flood; i++) results.push(await channel.text('8008', `spam ${i}`));
    expect(results.filter((r) => r.status === 'throttled')).toHaveLength(flood - t.config.FLOOD_MAX_PER_MINUTE);
    const other = await channel.text('8009', 'hello');
    expect(other.status).toBe('accepted');
    await eventually(async () => channel.textsTo('8008').includes(t.relais.i18n.t('en', 'common:too_many_messages')));
    await new Promise((r) => setTimeout(r, 500));
    expect(channel.textsTo('8008').filter((x) => x === t.relais.i18n.t('en', 'common:too_many_messages'))).toHaveLength(
      1,
    );
    expect(
      await t.relais.db.message.count({
        where: {
          direction: 'INBOUND',
          contact: { identities: { some: { platformIdHash: t.relais.secrets.hash('TELEGRAM:8008') } } },
        },
      }),
    ).toBe(flood);
  });
});

function envOf(test: TestRelais): Record<string, string> {
  return {
    NODE_ENV: 'test',
    LOG_LEVEL: 'info',
    DATABASE_URL: test.config.DATABASE_URL,
    REDIS_URL: test.config.REDIS_URL,
    QUEUE_PREFIX: test.config.QUEUE_PREFIX,
    APP_SECRET: test.config.APP_SECRET,
  };
}
