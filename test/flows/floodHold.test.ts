import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/core/config.js';
import { decideFlood, type FloodWindow } from '../../src/core/inbound/floodCheck.js';
import { FakeChannel } from '../support/fakeChannel.js';
import { Person } from '../support/person.js';
import { eventually, startTestRelais, type TestRelais } from '../support/testRelais.js';

const LIMIT = 20;
const WINDOW_SECONDS = 2;

let t: TestRelais;
const channel = new FakeChannel('TELEGRAM');

beforeAll(async () => {
  t = await startTestRelais(
    'flood_hold',
    { FLOOD_MAX_PER_MINUTE: String(LIMIT), FLOOD_WINDOW_SECONDS: String(WINDOW_SECONDS) },
    { transports: () => [channel] },
  );
});
afterAll(async () => {
  await t?.close();
});

/** When each message of a person reached the flows (its processed copy's time), oldest first. */
async function processedTimes(person: Person): Promise<number[]> {
  const contactId = await person.contactId();
  const rows = await t.relais.db.message.findMany({
    where: { contactId, direction: 'INBOUND', status: 'PROCESSED', lastError: null },
    orderBy: { seq: 'asc' },
    select: { createdAt: true },
  });
  return rows.map((r) => r.createdAt.getTime());
}

describe('messages beyond the flood limit wait and are read afterwards, in order', () => {
  it('a person answering a nine-question form quickly never meets the default limit', () => {
    const { FLOOD_MAX_PER_MINUTE, FLOOD_WINDOW_SECONDS } = loadConfig({
      NODE_ENV: 'test',
      DATABASE_URL: 'postgresql://x@127.0.0.1/x',
      APP_SECRET: 'test-secret-0123456789abcdef',
    });
    let flood: FloodWindow | undefined;
    // three forms in a row, one answer every 1.5 s: faster than anyone reads a question
    for (let i = 0; i < 30; i++) {
      const decision = decideFlood(
        flood,
        new Date(1_000_000 + i * 1500),
        FLOOD_MAX_PER_MINUTE,
        FLOOD_WINDOW_SECONDS * 1000,
        false,
      );
      expect(decision.hold).toBe(false);
      flood = decision.flood;
    }
  });

  it('a flood of 100 messages in a second reaches the ' +
    'flow no faster than the limit, and every one is answered', async () => {
    const person = new Person(t.relais, channel, 'flooder');
    await person.onboard();
    await eventually(async () => person.texts().length >= 6);
    const before = person.texts().length;
    const notice = person.t('common:too_many_messages');
    const invalid = person.t('menu:invalid');

    const started = Date.now();
    const results = [];
    for (let i = 0; i < 100; i++) results.push(await person.say(`question ${i}`));
    expect(Date.now() - started).toBeLessThan(15_000);
    // most wait (fewer when the machine is slow and windows pass during the flood)
    expect(results.filter((r) => r.status === 'throttled').length).toBeGreaterThan(LIMIT);

    // each message at the menu is answered "not understood": 100 of them, one notice
    await eventually(async () => person.texts().filter((x) => x === invalid).length >= 100, 40_000, 100);
    const received = person.texts().slice(before);
    expect(received.filter((x) => x === notice)).toHaveLength(1);
    expect(received.filter((x) => x === invalid)).toHaveLength(100);

    const contactId = await person.contactId();
    const inbound = await t.relais.db.message.findMany({
      where: { contactId, direction: 'INBOUND', content: { path: ['kind'], equals: 'text' } },
      orderBy: { seq: 'asc' },
      select: { content: true, status: true },
    });
    // every message kept once, in the order written, none left waiting
    expect(inbound.map((m) => (m.content as { text: string }).text)).toEqual(
      Array.from({ length: 100 }, (_, i) => `question ${i}`),
    );
    expect(inbound.every((m) => m.status === 'PROCESSED')).toBe(true);

    // never more than the limit in a window: with fixed windows, 2 × limit in any window's time
    const times = await processedTimes(person);
    for (let i = 0; i + 2 * LIMIT < times.length; i++) {
      expect((times[i + 2 * LIMIT] ?? 0) - (times[i] ?? 0)).toBeGreaterThanOrEqual(WINDOW_SECONDS * 1000);
    }
    // and a person who stopped flooding is answered at once again, without a new notice
    await new Promise((r) => setTimeout(r, WINDOW_SECONDS * 1000));
    const result = await person.say('menu');
    expect(result.status).toBe('accepted');
  }, 60_000);

  it('identical repeated taps while waiting are read once', async () => {
    const person = new Person(t.relais, channel, 'tapper');
    await person.onboard();
    for (let i = 0; i < LIMIT; i++) await person.say(`busy ${i}`);
    const held = [];
    for (let i = 0; i < 5; i++) held.push(await person.send({ kind: 'choice', choiceId: 'privacy' }));
    expect(held.every((r) => r.status === 'throttled')).toBe(true);
    const contactId = await person.contactId();
    await eventually(
      async () =>
        (await t.relais.db.message.count({ where: { contactId, direction: 'INBOUND', status: 'RECEIVED' } })) === 0,
      15_000,
      100,
    );
    const collapsed = await t.relais.db.message.count({
      where: { contactId, direction: 'INBOUND', lastError: 'collapsed' },
    });
    expect(collapsed).toBe(4);
  }, 30_000);

  it('a fast donor finishing their pledge is never dropped: ' +
    'the final "Send" is read and the pledge registered', async () => {
    const donor = new Person(t.relais, channel, 'fast-donor');
    await donor.onboard();
    // as fast as the platform delivers, no waiting for the questions
    await donor.send({ kind: 'start', payload: 'give' });
    await donor.choose('company');
    await donor.say('Transports Dupont SAS');
    await donor.choose('laptop');
    await donor.say('20');
    await donor.choose('done', '2to4', 'mixed');
    await donor.say('3 rue des Docks, 62100 Calais');
    await donor.choose('next_weeks');
    await donor.say('Marie Dupont');
    await donor.say('06 12 34 56 78');
    await donor.choose('yes');
    // taps faster than the limit allows in a window: the rest waits and is read afterwards
    for (let i = 0; i < LIMIT; i++) await donor.say('hello?');
    await donor.choose('send');
    const pledge = await eventually(
      async () =>
        t.relais.db.pledge.findFirst({
          where: {
            contact: { identities: { some: { platformIdHash: t.relais.secrets.hash('TELEGRAM:fast-donor') } } },
          },
        }),
      20_000,
      100,
    );
    expect(pledge.reference).toMatch(/^D-/);
    await donor.receives(donor.t('pledge:created', { reference: pledge.reference }), { timeoutMs: 10_000 });
  }, 40_000);
});
