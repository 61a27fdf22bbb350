import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startTestRelais, type TestRelais } from '../../support/testRelais.js';
import { WebChatVisitor } from '../../support/webChatVisitor.js';

const en = (t: TestRelais, key: string, params?: Record<string, string | number>) => t.relais.i18n.t('en', key, params);

/** The visitor's personal code, shown by "show my code". */
async function showCode(_t: TestRelais, visitor: WebChatVisitor): Promise<string> {
  await visitor.choose('code', 'show');
  return eventually(async () =>
    (await visitor.history()).map((m) => /(\d{4} \d{4} \d{2})/.exec(m.text)?.[1]).findLast((c) => c !== undefined),
  );
}

/** The last answer the visitor got that is one of `texts`. */
async function answerOf(visitor: WebChatVisitor, texts: string[]): Promise<string> {
  return eventually(async () => (await visitor.history()).map((m) => m.text).findLast((text) => texts.includes(text)));
}

describe('wrong codes from many fresh web chat sessions at once', () => {
  let t: TestRelais;
  beforeAll(async () => {
    t = await startTestRelais('code_guessing', { RECONNECT_CODE_FAILURES_PER_HOUR: '60', DATABASE_POOL_MAX: '10' });
  });
  afterAll(async () => {
    await t?.close();
  });

  it(
    '90 fresh sessions sending wrong codes in parallel are counted exactly to the cap of 60, with one paused event ' +
      'and one staff alert',
    async () => {
      const owner = new WebChatVisitor(t.relais, '192.0.2.1');
      await owner.onboard('en');
      const code = await showCode(t, owner);

      // a botnet: every session from its own address, so no address limit is reached
      const guessers = Array.from({ length: 90 }, (_, i) => new WebChatVisitor(t.relais, `198.51.100.${i + 1}`));
      for (let i = 0; i < guessers.length; i += 15) {
        await Promise.all(
          guessers.slice(i, i + 15).map(async (g) => {
            await g.onboard('en');
            await g.choose('code', 'have');
          }),
        );
      }
      await Promise.all(guessers.map((g, i) => g.say(`31415${String(i).padStart(5, '0')}`)));

      const wrong = en(t, 'code:wrong', { attemptsLeft: 4 });
      const paused = en(t, 'code:paused');
      const answers: string[] = [];
      for (const g of guessers) answers.push(await answerOf(g, [wrong, paused]));
      expect(answers.filter((a) => a === wrong)).toHaveLength(60);
      expect(answers.filter((a) => a === paused)).toHaveLength(30);
      expect(await t.relais.db.auditEvent.count({ where: { action: 'code.paused', entityId: 'WEB' } })).toBe(1);
      expect(
        await t.relais.db.outboxJob.count({
          where: { name: 'staff.alert', data: { equals: { code: 'reconnect_codes_paused', channel: 'WEB' } } },
        }),
      ).toBe(1);

      // while paused, a person with the right code on a fresh account still reconnects…
      const person = new WebChatVisitor(t.relais, '192.0.2.2');
      await person.onboard('en');
      await person.choose('code', 'have');
      await person.say(code);
      await person.receives(en(t, 'code:is_it_you', { count: 0, language: en(t, 'languages:en') }));
      await person.choose('yes');
      await person.receives(en(t, 'code:linked'));
      expect(await person.contactId()).toBe(await owner.contactId());

      // …while an account that guessed is refused, even with the right code
      const guesser = guessers[0];
      if (!guesser) throw new Error('no guesser');
      await guesser.choose('code', 'have');
      await guesser.say(code);
      await eventually(
        async () =>
          (await guesser.history()).filter((m) => m.text === paused).length >= (answers[0] === paused ? 2 : 1),
      );
      expect(await guesser.contactId()).not.toBe(await owner.contactId());
    },
  );
});

describe('wrong codes from one address', () => {
  let t: TestRelais;
  beforeAll(async () => {
    t = await startTestRelais('code_guessing_address', { RECONNECT_CODE_FAILURES_PER_ADDRESS_PER_HOUR: '3' });
  });
  afterAll(async () => {
    await t?.close();
  });

  it(
    'a script opening a fresh session for every guess from one address is refused after the address limit, even ' +
      'with the right code; other addresses go on',
    async () => {
      const owner = new WebChatVisitor(t.relais, '192.0.2.50');
      await owner.onboard('en');
      const code = await showCode(t, owner);
      const wrong = en(t, 'code:wrong', { attemptsLeft: 4 });
      const locked = en(t, 'code:locked');
      for (let i = 0; i < 3; i++) {
        const session = new WebChatVisitor(t.relais, '203.0.113.66');
        await session.onboard('en');
        await session.choose('code', 'have');
        await session.say(`27182${String(i).padStart(5, '0')}`);
        expect(await answerOf(session, [wrong, locked])).toBe(wrong);
      }
      const fourth = new WebChatVisitor(t.relais, '203.0.113.66');
      await fourth.onboard('en');
      await fourth.choose('code', 'have');
      await fourth.say(code);
      expect(
        await answerOf(fourth, [locked, en(t, 'code:is_it_you', { count: 0, language: en(t, 'languages:en') })]),
      ).toBe(locked);
      expect(await fourth.contactId()).not.toBe(await owner.contactId());

      // the address is kept in Redis only, hashed: nowhere in Postgres
      const dump = JSON.stringify([
        await t.relais.db.auditEvent.findMany(),
        await t.relais.db.message.findMany({ select: { content: true } }),
        await t.relais.db.conversation.findMany(),
      ]);
      expect(dump).not.toContain('203.0.113.66');

      const elsewhere = new WebChatVisitor(t.relais, '203.0.113.67');
      await elsewhere.onboard('en');
      await elsewhere.choose('code', 'have');
      await elsewhere.say(code);
      await elsewhere.receives(en(t, 'code:is_it_you', { count: 0, language: en(t, 'languages:en') }));
    },
  );
});
