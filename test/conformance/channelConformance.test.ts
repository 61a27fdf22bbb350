import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inboundContentSchema } from '../../src/core/messages/messageTypes.js';
import { CONFORMANCE_WALKS } from '../support/walks.js';
import type { ChannelDriver, ChannelPerson } from './channelDriver.js';
import { CHANNELS } from './channels.js';
import { expectOutcome } from './walkOutcomes.js';
import { expectReplies, identityOf, nextReplies, runWalk, settled, type WalkAccount } from './walkRunner.js';

const WELCOME = ['onboarding:welcome', 'privacy:notice_short', 'onboarding:choose_language'];
const LANGUAGE_SET = ['onboarding:language_set', 'privacy:how_to_erase', 'menu:title'];

/** Inbound rows of an identity, read around the service (its own way to Postgres may be cut). */
async function inboundRows(driver: ChannelDriver, identityId: string): Promise<number> {
  const client = new pg.Client({ connectionString: driver.t.database.url });
  await client.connect();
  try {
    const result = await client.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM "Message" WHERE "identityId" = $1 AND direction = 'INBOUND'`,
      [identityId],
    );
    return result.rows[0]?.n ?? -1;
  } finally {
    await client.end();
  }
}

describe.each(CHANNELS)('channel conformance: $name', (definition) => {
  let driver: ChannelDriver;
  /** every account the tests wrote from, and what they typed (for the logs check) */
  const accounts: ChannelPerson[] = [];
  const typed: string[] = [];

  beforeAll(async () => {
    driver = await definition.start();
  });
  afterAll(async () => {
    await driver?.close();
  });

  function account(appLanguage = 'en'): WalkAccount {
    const person = driver.person({ appLanguage });
    accounts.push(person);
    return { person, seen: 0, shown: driver.firstContactLanguage(appLanguage) };
  }

  /** First contact and English chosen by its label: ends on the menu. */
  async function onboarded(): Promise<WalkAccount> {
    const a = account();
    expect(driver.accepted(await a.person.start('Hello'))).toBe(true);
    expectReplies(driver, await nextReplies(a, 3), WELCOME, a.shown, 'first contact');
    expect(driver.accepted(await a.person.tap(driver.relais.i18n.t(a.shown, 'languages:en'), 'lang:en'))).toBe(true);
    expectReplies(driver, await nextReplies(a, 3), LANGUAGE_SET, 'en', 'language chosen');
    a.shown = 'en';
    return a;
  }

  describe('walks', () => {
    it.each(CONFORMANCE_WALKS)('$name: $title', async (walk) => {
      const result = await runWalk(driver, walk);
      await expectOutcome(driver, walk, result);
      accounts.push(...Object.values(result.accounts).map((a) => a.person));
      typed.push(
        ...walk.steps.flatMap((s) =>
          s.action.do === 'type' && !s.action.text.includes('{')
            ? [s.action.text]
            : s.action.do === 'start'
              ? [s.action.greeting]
              : [],
        ),
      );
    });
  });

  describe('contract', () => {
    it('a replay is stored once and answered once, replayed one after another and three at once', async () => {
      const a = account();
      expect(driver.accepted(await a.person.start('Hello'))).toBe(true);
      expectReplies(driver, await nextReplies(a, 3), WELCOME, a.shown, 'first contact');
      for (const replay of await a.person.replayLast(2))
        expect(driver.accepted(replay), 'a replay is acknowledged').toBe(true);
      expect(driver.accepted(await a.person.tap(driver.relais.i18n.t(a.shown, 'languages:en'), 'lang:en'))).toBe(true);
      for (const replay of await a.person.replayLast(3, { concurrently: true }))
        expect(driver.accepted(replay)).toBe(true);
      // a later message of the same person is handled after the replays
      expect(driver.accepted(await a.person.type('menu'))).toBe(true);
      const replies = await nextReplies(a, 4);
      expectReplies(driver, replies, [...LANGUAGE_SET, 'menu:title'], 'en', 'after the replays');
      await settled(driver, a.person);
      expect((await a.person.replies()).slice(a.seen), 'no reply to a replay').toEqual([]);
      expect(await inboundRows(driver, (await identityOf(driver, a.person)).id)).toBe(3);
    });

    it("malformed input stores nothing and gets the channel's error", async () => {
      const { db } = driver.relais;
      const messagesBefore = await db.message.count();
      const identitiesBefore = await db.channelIdentity.count();
      for (const { delivery, expected } of await driver.sendMalformed()) {
        if (expected !== null) expect(delivery.status).toBe(expected);
      }
      // a person writing afterwards is answered: the malformed payloads were read first, and dropped
      const next = account();
      await next.person.start('Hello');
      expectReplies(driver, await nextReplies(next, 3), WELCOME, next.shown, 'first contact after malformed input');
      const identity = await identityOf(driver, next.person);
      expect(await db.message.count({ where: { NOT: { identityId: identity.id } } })).toBe(messagesBefore);
      expect(await db.channelIdentity.count()).toBe(identitiesBefore + 1);
    });

    if (definition.carriesFiles) {
      it('a photo, a voice message or a sticker is stored as an attachment and gets the polite answer', async () => {
        const a = await onboarded();
        const identity = await identityOf(driver, a.person);
        expect(driver.media.length).toBeGreaterThan(0);
        for (const media of driver.media) {
          expect(driver.accepted(await media.send(a.person)), media.name).toBe(true);
          expectReplies(
            driver,
            await nextReplies(a, 2),
            ['common:attachment_unsupported', 'menu:title'],
            'en',
            media.name,
          );
          const stored = await driver.relais.db.message.findFirstOrThrow({
            where: { identityId: identity.id, direction: 'INBOUND' },
            orderBy: { seq: 'desc' },
          });
          expect(inboundContentSchema.parse(stored.content)).toEqual({
            kind: 'attachment',
            mediaType: media.mediaType,
          });
        }
      });
    } else {
      it('a file cannot be sent: a post claiming one is refused and stores nothing', async () => {
        const a = await onboarded();
        const identity = await identityOf(driver, a.person);
        const before = await inboundRows(driver, identity.id);
        const refused = await driver.sendUnsupportedFile?.(a.person);
        expect(refused?.delivery.status).toBe(refused?.expected);
        expect(driver.accepted(await a.person.type('menu'))).toBe(true);
        expectReplies(driver, await nextReplies(a, 1), ['menu:title'], 'en', 'after the refused file');
        expect(await inboundRows(driver, identity.id)).toBe(before + 1);
      });
    }

    it("a person's messages are handled and answered in the order they were written", async () => {
      const a = await onboarded();
      expect(driver.accepted(await a.person.tap(driver.relais.i18n.t('en', 'menu:volunteer'), 'volunteer'))).toBe(true);
      expectReplies(driver, await nextReplies(a, 1), ['volunteer:intro'], 'en', 'volunteer chat');
      const words = [
        'first, I lost my phone',
        'second, at the station',
        'third, yesterday',
        'fourth, thank you',
        'fifth, bye',
      ];
      // handed over as the platform does, without waiting for the answers
      for (const text of words) expect(driver.accepted(await a.person.type(text))).toBe(true);
      typed.push(...words);
      expectReplies(
        driver,
        await nextReplies(a, 6),
        [
          'volunteer:sent_first',
          'volunteer:chat',
          'volunteer:sent',
          'volunteer:sent',
          'volunteer:sent',
          'volunteer:sent',
        ],
        'en',
        'in order',
      );
      const identity = await identityOf(driver, a.person);
      const stored = await driver.relais.db.message.findMany({
        where: { identityId: identity.id, direction: 'INBOUND', requestId: { not: null } },
        orderBy: { seq: 'asc' },
      });
      expect(stored.map((m) => inboundContentSchema.parse(m.content))).toEqual(
        words.map((text) => ({ kind: 'text', text })),
      );
    });

    it('Postgres down: nothing is taken, the platform is told to retry, and the retry is handled once', async () => {
      const a = await onboarded();
      const identity = await identityOf(driver, a.person);
      const before = await inboundRows(driver, identity.id);
      driver.cutPostgres();
      try {
        const delivery = await a.person.type('menu');
        await driver.awaitRetrySignal(delivery);
        expect(await inboundRows(driver, identity.id)).toBe(before);
      } finally {
        await driver.restorePostgres();
      }
      await driver.redeliverAfterOutage(a.person);
      expectReplies(driver, await nextReplies(a, 1), ['menu:title'], 'en', 'after the outage');
      await settled(driver, a.person);
      expect((await a.person.replies()).slice(a.seen)).toEqual([]);
      expect(await inboundRows(driver, identity.id)).toBe(before + 1);
    });

    it("never writes a person's platform id or what they typed in the logs", () => {
      expect(driver.t.logs.lines.length).toBeGreaterThan(0);
      expect(typed.length).toBeGreaterThan(0);
      for (const secret of [
        ...accounts.flatMap((p) => driver.secretIdsOf(p)),
        ...typed.filter((text) => text.length >= 5),
      ]) {
        expect(driver.t.logs.text).not.toContain(secret);
      }
    });
  });
});
