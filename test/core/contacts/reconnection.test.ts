import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queueMessageToContact } from '../../../src/core/outbound/queueMessageToContact.js';
import { FakeChannel } from '../../support/fakeChannel.js';
import type { InboundContent } from '../../../src/core/messages/messageTypes.js';
import { Person } from '../../support/person.js';
import { WebChatVisitor } from '../../support/webChatVisitor.js';
import { eventually, startTestRelais, type TestRelais } from '../../support/testRelais.js';

let t: TestRelais;
const telegram = new FakeChannel('TELEGRAM');
const whatsapp = new FakeChannel('WHATSAPP');

beforeAll(async () => {
  // one person presses many buttons in a row here: above the flood limit of real use
  t = await startTestRelais(
    'reconnection',
    { FLOOD_MAX_PER_MINUTE: '200' },
    { transports: () => [telegram, whatsapp] },
  );
});
afterAll(async () => {
  await t?.close();
});

/** The code shown to a person, read back from what they received. */
async function codeShownTo(person: Person): Promise<string> {
  return eventually(async () =>
    person
      .texts()
      .map((m) => /(\d{4} \d{4} \d{2})/.exec(m)?.[1])
      .findLast((code) => code !== undefined),
  );
}

describe('reconnection code across two accounts', () => {
  it(
    'a new WhatsApp account typing the Telegram person\'s code, after "is this you?", continues with their requests ' +
      'and follow-ups',
    async () => {
      const onTelegram = new Person(t.relais, telegram, 'tg-100');
      await onTelegram.onboard('fa');
      await onTelegram.choose('phone', 'self', 'stolen', 'high', 'skip', 'send');
      const contactId = await onTelegram.contactId();
      const request = await t.relais.db.request.findFirstOrThrow({ where: { contactId } });
      await t.relais.db.followUp.create({
        data: { kind: 'CHECKIN', contactId, requestId: request.id, dueAt: new Date(Date.now() + 86_400_000) },
      });
      await onTelegram.choose('code', 'show');
      const code = await codeShownTo(onTelegram);
      expect(JSON.stringify(await t.relais.db.reconnectCode.findMany())).not.toContain(code.replace(/ /g, ''));
      // the message that carried the code is erased once Telegram has it; the rest stays
      const outbound = () =>
        t.relais.db.message.findMany({
          where: { contactId, direction: 'OUTBOUND' },
          select: { content: true, contentPurgedAt: true, status: true },
        });
      const erased = await eventually(async () => {
        const rows = (await outbound()).filter((m) => m.contentPurgedAt !== null);
        return rows.length > 0 ? rows : undefined;
      });
      expect(erased).toEqual([{ content: null, contentPurgedAt: expect.any(Date), status: 'SENT' }]);
      expect(JSON.stringify(await outbound())).not.toMatch(new RegExp(code.replace(/ /g, ' ?')));
      expect((await outbound()).filter((m) => m.content !== null).length).toBeGreaterThan(5);

      const onWhatsapp = new Person(t.relais, whatsapp, '33600000001@c.us');
      await onWhatsapp.onboard('fa');
      const blank = await onWhatsapp.contactId();
      await onWhatsapp.choose('code', 'have');
      await onWhatsapp.say(code.replace(/\d/g, (d) => '۰۱۲۳۴۵۶۷۸۹'[Number(d)] ?? d)); // typed in Persian digits
      const question = await onWhatsapp.receives(
        onWhatsapp.t('code:is_it_you', { count: 1, language: onWhatsapp.t('languages:fa', {}, 'fa') }, 'fa'),
      );
      expect(question).not.toContain(request.reference);
      await onWhatsapp.choose('yes');
      await onWhatsapp.receives(onWhatsapp.t('code:linked', {}, 'fa'));

      expect(await onWhatsapp.contactId()).toBe(contactId);
      expect(await t.relais.db.contact.findUnique({ where: { id: blank } })).toBeNull();
      expect(await t.relais.db.auditEvent.count({ where: { action: 'identity.linked', entityId: contactId } })).toBe(1);
      await onWhatsapp.choose('myRequests');
      await onWhatsapp.receives(request.reference, { partial: true });
      // messages to the person now go to the account they used last
      const message = await t.relais.db.$transaction((tx) =>
        queueMessageToContact(tx, { contactId, content: { text: 'ping' } }),
      );
      expect(message?.channel).toBe('WHATSAPP');
      expect(await t.relais.db.followUp.count({ where: { contactId } })).toBe(1);
    },
  );

  it('five wrong codes lock the account for an hour, even with the right code afterwards', async () => {
    const guesser = new Person(t.relais, telegram, 'tg-guess');
    await guesser.onboard('en');
    await guesser.choose('code', 'have');
    for (let i = 0; i < 4; i++) await guesser.say(`12345678${10 + i}`);
    await guesser.receives(guesser.t('code:wrong', { attemptsLeft: 1 }));
    await guesser.say('1234567899');
    await guesser.receives(guesser.t('code:locked'));
    const owner = new Person(t.relais, telegram, 'tg-owner');
    await owner.onboard('en');
    await owner.choose('code', 'show');
    const code = await codeShownTo(owner);
    await guesser.choose('code', 'have');
    await guesser.say(code);
    await eventually(async () => guesser.texts().filter((m) => m === guesser.t('code:locked')).length === 2);
    expect(await guesser.contactId()).not.toBe(await owner.contactId());
  });
});

describe('codes people type are not kept', () => {
  it(
    'after linking a web chat with a personal code, the typed code is in no stored message, no conversation state ' +
      'and not in the web chat history',
    async () => {
      const owner = new Person(t.relais, telegram, 'tg-secret-owner');
      await owner.onboard('en');
      await owner.choose('code', 'show');
      const code = await codeShownTo(owner);
      const digits = code.replace(/ /g, '');
      const anywhere = new RegExp(digits.split('').join('\\s?'));
      // the message that showed it is erased once Telegram has it (see above)
      await eventually(
        async () =>
          (await t.relais.db.message.count({
            where: { contactId: await owner.contactId(), contentPurgedAt: { not: null } },
          })) > 0,
      );

      const visitor = new WebChatVisitor(t.relais);
      await visitor.onboard('en');
      await visitor.choose('code', 'have');
      await visitor.say(code);
      await visitor.receives(
        t.relais.i18n.t('en', 'code:is_it_you', { count: 0, language: t.relais.i18n.t('en', 'languages:en') }),
      );
      // waiting for "is this you?": the state holds the code's hash, not the code
      const waiting = await t.relais.db.conversation.findUniqueOrThrow({
        where: { contactId: await visitor.contactId() },
      });
      expect(JSON.stringify(waiting.state)).not.toMatch(anywhere);
      await visitor.choose('yes');
      await visitor.receives(t.relais.i18n.t('en', 'code:linked'));
      expect(await visitor.contactId()).toBe(await owner.contactId());

      const contents = await t.relais.db.message.findMany({ select: { content: true } });
      expect(JSON.stringify(contents)).not.toMatch(anywhere);
      expect(JSON.stringify(await t.relais.db.conversation.findMany({ select: { state: true } }))).not.toMatch(
        anywhere,
      );
      const history = await visitor.history();
      expect(JSON.stringify(history)).not.toMatch(anywhere);
      const typed = history.filter((m) => m.from === 'person').map((m) => m.text);
      expect(typed).toContain('🔑 ••••••••••'); // shown as a key, never as the stored marker
      expect(typed).not.toContain('[code entered]');
    },
  );

  it(
    'a code typed when its check fails (a broken table) is stored with the failure as "[code entered]", never in ' +
      'clear',
    async () => {
      const person = new Person(t.relais, telegram, 'tg-code-failure');
      await person.onboard('en');
      await person.choose('code', 'have');
      await t.relais.db.$executeRawUnsafe('ALTER TABLE "ReconnectCode" RENAME TO "ReconnectCodeAway"');
      try {
        await person.say('8642 0975 31');
        await person.receives(person.t('common:error'));
      } finally {
        await t.relais.db.$executeRawUnsafe('ALTER TABLE "ReconnectCodeAway" RENAME TO "ReconnectCode"');
      }
      const failed = await t.relais.db.message.findFirstOrThrow({
        where: { contactId: await person.contactId(), direction: 'INBOUND', lastError: { not: null } },
      });
      expect(failed.content).toEqual({ kind: 'text', text: '[code entered]' });
    },
  );

  it('a personal code shown 91 days ago no longer links an account, and showing it again renews it', async () => {
    const owner = new Person(t.relais, telegram, 'tg-old-code');
    await owner.onboard('en');
    await owner.choose('code', 'show');
    const code = await codeShownTo(owner);
    const contactId = await owner.contactId();
    const first = await t.relais.db.reconnectCode.findFirstOrThrow({ where: { contactId, kind: 'PERSONAL' } });
    expect(first.expiresAt?.getTime()).toBeGreaterThan(Date.now() + 89 * 86_400_000);

    // 91 days later, on a new phone
    const later = new Date(Date.now() + 91 * 86_400_000);
    let n = 0;
    const sendLater = (content: InboundContent) =>
      t.relais.receive({
        channel: 'WHATSAPP',
        platformId: '33600000777@c.us',
        dedupeKey: `later-${++n}`,
        receivedAt: later,
        content,
      });
    for (const content of [
      { kind: 'start' },
      { kind: 'choice', choiceId: 'lang:en' },
      { kind: 'choice', choiceId: 'code' },
      { kind: 'choice', choiceId: 'have' },
      { kind: 'text', text: code },
    ] as const) {
      await sendLater(content);
    }
    await eventually(async () =>
      whatsapp.textsTo('33600000777@c.us').includes(owner.t('code:wrong', { attemptsLeft: 4 })),
    );
    const newPhone = await t.relais.db.channelIdentity.findUniqueOrThrow({
      where: {
        channel_platformIdHash: {
          channel: 'WHATSAPP',
          platformIdHash: t.relais.secrets.hash('WHATSAPP:33600000777@c.us'),
        },
      },
    });
    expect(newPhone.contactId).not.toBe(contactId);

    // showing the code then (91 days later) draws a new one, valid 90 days from then, and it works
    const ownerLater = (content: InboundContent) =>
      t.relais.receive({
        channel: 'TELEGRAM',
        platformId: 'tg-old-code',
        dedupeKey: `owner-later-${++n}`,
        receivedAt: later,
        content,
      });
    // the conversation has long expired: the person starts again from the menu
    await ownerLater({ kind: 'start' });
    for (const choiceId of ['code', 'show']) await ownerLater({ kind: 'choice', choiceId });
    const renewed = await eventually(async () => {
      const latest = await codeShownTo(owner);
      return latest !== code ? latest : undefined;
    });
    const second = await t.relais.db.reconnectCode.findFirstOrThrow({ where: { contactId, kind: 'PERSONAL' } });
    expect(second.expiresAt?.getTime()).toBe(later.getTime() + 90 * 86_400_000);
    for (const content of [
      { kind: 'choice', choiceId: 'code' },
      { kind: 'choice', choiceId: 'have' },
      { kind: 'text', text: renewed },
      { kind: 'choice', choiceId: 'yes' },
    ] as const) {
      await sendLater(content);
    }
    await eventually(async () => whatsapp.textsTo('33600000777@c.us').includes(owner.t('code:linked')));
    expect((await t.relais.db.channelIdentity.findUniqueOrThrow({ where: { id: newPhone.id } })).contactId).toBe(
      contactId,
    );
  });
});

describe('guessing codes from many accounts', () => {
  let g: TestRelais;
  const web = new FakeChannel('TELEGRAM');
  const other = new FakeChannel('WHATSAPP');
  beforeAll(async () => {
    g = await startTestRelais(
      'reconnection_budget',
      { RECONNECT_CODE_FAILURES_PER_HOUR: '3' },
      { transports: () => [web, other] },
    );
  });
  afterAll(async () => {
    await g?.close();
  });

  it(
    "after the channel's hourly budget of wrong codes, accounts that guessed are refused even with the right code, " +
      'a fresh account still reconnects, staff are alerted once, other channels go on',
    async () => {
      const owner = new Person(g.relais, web, 'tg-budget-owner');
      await owner.onboard('en');
      await owner.choose('code', 'show');
      const code = await codeShownTo(owner);
      // three accounts, one wrong code each: no account reaches its own lock
      for (let i = 0; i < 3; i++) {
        const guesser = new Person(g.relais, web, `tg-budget-guesser-${i}`);
        await guesser.onboard('en');
        await guesser.choose('code', 'have');
        await guesser.say(`987654321${i}`);
        await guesser.receives(guesser.t('code:wrong', { attemptsLeft: 4 }));
      }
      const guesser = new Person(g.relais, web, 'tg-budget-guesser-0');
      await guesser.choose('code', 'have');
      await guesser.say(code);
      await guesser.receives(guesser.t('code:paused'));
      expect(await guesser.contactId()).not.toBe(await owner.contactId());
      // the pause stops guessing, it does not lock out a person who has not guessed
      const fourth = new Person(g.relais, web, 'tg-budget-guesser-3');
      await fourth.onboard('en');
      await fourth.choose('code', 'have');
      await fourth.say(code);
      await fourth.receives(fourth.t('code:is_it_you', { count: 0, language: fourth.t('languages:en') }));

      const failed = await g.relais.db.auditEvent.findMany({
        where: { action: 'code.failed' },
        select: { entityType: true, data: true },
      });
      expect(failed).toEqual(
        Array.from({ length: 3 }, () => ({ entityType: 'ChannelIdentity', data: { channel: 'TELEGRAM' } })),
      );
      // the audit trail never holds the digits typed
      expect(JSON.stringify(await g.relais.db.auditEvent.findMany())).not.toContain('98765432');
      expect(await g.relais.db.auditEvent.count({ where: { action: 'code.paused', entityId: 'TELEGRAM' } })).toBe(1);
      expect(
        await g.relais.db.outboxJob.count({
          where: { name: 'staff.alert', data: { equals: { code: 'reconnect_codes_paused', channel: 'TELEGRAM' } } },
        }),
      ).toBe(1);

      // WhatsApp has its own budget: the right code still works there
      const elsewhere = new Person(g.relais, other, '33600000099@c.us');
      await elsewhere.onboard('en');
      await elsewhere.choose('code', 'have');
      await elsewhere.say(code);
      await elsewhere.receives(elsewhere.t('code:is_it_you', { count: 0, language: elsewhere.t('languages:en') }));
    },
  );
});

describe('shared phone ("I am someone else")', () => {
  it(
    "a second person never sees the first person's requests, " + 'and the first comes back only with their code',
    async () => {
      const handset = 'tg-shared';
      const first = new Person(t.relais, telegram, handset);
      await first.onboard('ar');
      await first.choose('phone', 'self', 'broken', 'normal', 'skip', 'send');
      const firstId = await first.contactId();
      const firstRequest = await t.relais.db.request.findFirstOrThrow({ where: { contactId: firstId } });
      await first.choose('code', 'show');
      const firstCode = await codeShownTo(first);

      // the second person on the same handset
      await first.choose('otherPerson', 'new', 'yes');
      const second = first;
      await second.choose('lang:ti');
      const secondId = await second.contactId();
      expect(secondId).not.toBe(firstId);
      const seen = second.texts().length;
      await second.choose('myRequests');
      await second.receives(second.t('myRequests:none', {}, 'ti'));
      expect(second.texts().slice(seen).join('\n')).not.toContain(firstRequest.reference);
      await second.choose('recharge', 'sfr', 'eur5', 'send');
      const secondRequest = await t.relais.db.request.findFirstOrThrow({ where: { contactId: secondId } });
      // the confirmation reaches the handset before the first person takes it back
      await second.receives(secondRequest.reference, { partial: true });

      // the first person comes back with their code
      await second.choose('otherPerson', 'code');
      await second.say(firstCode);
      await second.choose('yes');
      expect(await first.contactId()).toBe(firstId);
      const back = first.texts().length;
      await first.choose('myRequests');
      await first.receives(firstRequest.reference, { partial: true });
      await new Promise((r) => setTimeout(r, 300));
      expect(first.texts().slice(back).join('\n')).not.toContain(secondRequest.reference);
      // the second person's profile is kept (it has a request), reachable with their own code
      const identity = await t.relais.db.channelIdentity.findFirstOrThrow({ where: { contactId: firstId } });
      expect(identity.profileIds).toEqual(expect.arrayContaining([firstId, secondId]));
    },
  );
});
