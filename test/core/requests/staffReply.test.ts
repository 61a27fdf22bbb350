import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InvalidStaffReply, sendStaffReply } from '../../../src/core/requests/staffReply.js';
import { FakeChannel } from '../../support/fakeChannel.js';
import { Person } from '../../support/person.js';
import { eventually, startTestRelais, type TestRelais } from '../../support/testRelais.js';

let t: TestRelais;
const channel = new FakeChannel('TELEGRAM');

beforeAll(async () => {
  t = await startTestRelais('staff_reply', {}, { transports: () => [channel] });
});
afterAll(async () => {
  await t?.close();
});

const person = (id: string) => new Person(t.relais, channel, id);

/** What the Slack app does when a volunteer answers in a request's thread. */
async function staffReplies(requestId: string, text: string) {
  const message = await t.relais.db.$transaction((tx) =>
    sendStaffReply(tx, t.relais.i18n, { requestId, staffId: 'staff-1', text }),
  );
  if (message) await t.relais.dispatcher.dispatchMessages([message]);
  return message;
}

describe('talking with a volunteer', () => {
  it(
    'what the person writes is attached to a CONTACT ' + 'request, and each message queues its relay to the volunteers',
    async () => {
      const farid = person('tg-farid');
      await farid.onboard('fa');
      await farid.choose('volunteer');
      await farid.say('سلام، به وکیل نیاز دارم');
      await farid.say('۲');
      const request = await t.relais.db.request.findFirstOrThrow({ where: { contactId: await farid.contactId() } });
      expect(request).toMatchObject({
        kind: 'CONTACT',
        status: 'OPEN',
        associationId: null,
        details: { origin: 'menu' },
      });
      const linked = await t.relais.db.message.findMany({
        where: { requestId: request.id, direction: 'INBOUND' },
        orderBy: { seq: 'asc' },
      });
      expect(linked.map((m) => m.content)).toEqual([
        { kind: 'text', text: 'سلام، به وکیل نیاز دارم' },
        { kind: 'text', text: '۲' },
      ]);
      const relays = await t.relais.db.outboxJob.findMany({ where: { name: 'request.message' } });
      expect(relays.map((j) => j.data)).toEqual(
        expect.arrayContaining(linked.map((m) => ({ requestId: request.id, messageId: m.id }))),
      );
      await farid.receives(farid.t('volunteer:sent_first', { reference: request.reference }, 'fa'));
      // without Slack the relay task completes as a no-op
      await eventually(async () => (await t.relais.dispatcher.queue('tasks').getCompletedCount()) > 0);
    },
  );

  it(
    "a volunteer's reply reaches the person in their language " +
      'behind a header, is linked to the request and audited',
    async () => {
      const farid = person('tg-farid');
      const request = await t.relais.db.request.findFirstOrThrow({
        where: { contactId: await farid.contactId(), kind: 'CONTACT' },
      });
      const message = await staffReplies(request.id, '  Bonjour, venez mardi à 14h.  ');
      expect(message).not.toBeNull();
      const header = farid.t('volunteer:staff_header', { reference: request.reference }, 'fa');
      await farid.receives(`${header}\nBonjour, venez mardi à 14h.`);
      expect(channel.lastTo('tg-farid')?.rtl).toBe(true);
      const stored = await t.relais.db.message.findUniqueOrThrow({ where: { id: message?.id ?? '' } });
      expect(stored).toMatchObject({ direction: 'OUTBOUND', requestId: request.id, contactId: request.contactId });
      const audit = await t.relais.db.auditEvent.findFirstOrThrow({
        where: { action: 'request.replied', entityId: request.id },
      });
      expect(audit).toMatchObject({ actorType: 'STAFF', actorId: 'staff-1', data: { messageId: message?.id } });
      expect(JSON.stringify(audit.data)).not.toContain('mardi');
    },
  );

  it("after a reply the person's answer reaches the volunteer even if they had left the chat", async () => {
    const gul = person('tg-gul');
    await gul.onboard('ps');
    await gul.choose('volunteer');
    await gul.say('Hello');
    await gul.say('menu');
    const request = await t.relais.db.request.findFirstOrThrow({ where: { contactId: await gul.contactId() } });
    await staffReplies(request.id, 'Where are you staying?');
    // the chat is reopened by a background task, with one short prompt
    await gul.receives(gul.t('volunteer:chat', {}, 'ps'), { timeoutMs: 15_000 });
    await gul.say('Near the harbour');
    const answer = await t.relais.db.message.findFirstOrThrow({
      where: { requestId: request.id, direction: 'INBOUND' },
      orderBy: { seq: 'desc' },
    });
    expect(answer.content).toEqual({ kind: 'text', text: 'Near the harbour' });
  });

  it(
    'the finish button still ends the chat after later messages were only acknowledged ("Sent"), by button or by ' +
      'its label',
    async () => {
      const jana = person('tg-jana');
      await jana.onboard('en');
      await jana.choose('volunteer');
      await jana.say('Hello');
      await jana.say('One more thing');
      await jana.receives(jana.t('volunteer:sent'));
      await jana.choose('end');
      await jana.receives(jana.t('volunteer:ended'));

      await jana.choose('volunteer');
      await jana.say('Hello again');
      await jana.say('And this');
      await jana.say(jana.t('volunteer:choice_end'));
      await eventually(async () => jana.texts().filter((text) => text === jana.t('volunteer:ended')).length === 2);
      const requestIds = (
        await t.relais.db.request.findMany({ where: { contactId: await jana.contactId() }, select: { id: true } })
      ).map((r) => r.id);
      const attached = await t.relais.db.message.findMany({
        where: { requestId: { in: requestIds }, direction: 'INBOUND' },
        orderBy: { seq: 'asc' },
      });
      expect(attached.map((m) => m.content)).toEqual(
        ['Hello', 'One more thing', 'Hello again', 'And this'].map((text) => ({ kind: 'text', text })),
      );
    },
  );

  it("when the volunteers closed the request, the person's next words are not attached and they are told", async () => {
    const hana = person('tg-hana');
    await hana.onboard('am');
    await hana.choose('volunteer');
    await hana.say('ሰላም');
    const request = await t.relais.db.request.findFirstOrThrow({ where: { contactId: await hana.contactId() } });
    await t.relais.db.request.update({ where: { id: request.id }, data: { status: 'CLOSED', closedAt: new Date() } });
    await hana.say('Are you there?');
    await hana.receives(hana.t('volunteer:closed', {}, 'am'));
    expect(await t.relais.db.message.count({ where: { requestId: request.id, direction: 'INBOUND' } })).toBe(1);
  });

  it('a reply to a person who asked to stop, or who was erased, is not sent; an empty reply is refused', async () => {
    const ivan = person('tg-ivan');
    await ivan.onboard('en');
    await ivan.choose('volunteer');
    await ivan.say('Hi');
    const request = await t.relais.db.request.findFirstOrThrow({ where: { contactId: await ivan.contactId() } });
    await expect(staffReplies(request.id, '   ')).rejects.toBeInstanceOf(InvalidStaffReply);
    await ivan.say('stop');
    expect(await staffReplies(request.id, 'Hello?')).toBeNull();
    await ivan.say('hello again');
    await ivan.choose('privacy', 'erase', 'yes');
    expect(await staffReplies(request.id, 'Hello?')).toBeNull();
    expect(await t.relais.db.message.count({ where: { requestId: request.id, direction: 'OUTBOUND' } })).toBe(0);
  });
});
