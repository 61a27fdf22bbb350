import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scheduleCheckIns } from '../../../src/core/followUps/followUpService.js';
import { sendStaffReply } from '../../../src/core/requests/staffReply.js';
import { purgeExpiredData } from '../../../src/core/retention/retentionPurge.js';
import { FakeChannel } from '../../support/fakeChannel.js';
import { Person } from '../../support/person.js';
import { eventually, startTestRelais, type TestRelais } from '../../support/testRelais.js';

let t: TestRelais;
const channel = new FakeChannel('TELEGRAM');
const DAY = 86_400_000;
const SECRET_PLACE = 'Hotel Ibis room 12';

beforeAll(async () => {
  t = await startTestRelais('erasure', { FLOOD_MAX_PER_MINUTE: '200' }, { transports: () => [channel] });
});
afterAll(async () => {
  await t?.close();
});

/**
 * Everything a person leaves behind using the flows: requests with details, a code, a chat, follow-ups, a volunteer's
 * reply.
 */
async function personWithHistory(platformId: string) {
  const person = new Person(t.relais, channel, platformId);
  await person.onboard('en');
  await person.choose('phone', 'self', 'stolen', 'high', 'skip');
  await person.say(SECRET_PLACE);
  await person.choose('send', 'recharge', 'sfr', 'eur10', 'send', 'code', 'show', 'volunteer');
  await person.say('My asylum appointment is on Monday');
  const contactId = await person.contactId();
  const phone = await t.relais.db.request.findFirstOrThrow({ where: { contactId, kind: 'PHONE' } });
  const chat = await t.relais.db.request.findFirstOrThrow({ where: { contactId, kind: 'CONTACT' } });
  await t.relais.db.$transaction(async (tx) => {
    await tx.request.update({
      where: { id: phone.id },
      data: { status: 'SERVED', servedAt: new Date(), closedAt: new Date() },
    });
    await scheduleCheckIns(tx, { requestId: phone.id, contactId, handedOverAt: new Date(), days: [3, 30] });
    await sendStaffReply(tx, t.relais.i18n, {
      requestId: chat.id,
      staffId: 'staff-1',
      text: 'See you Monday at the office',
    });
  });
  await person.receives('See you Monday at the office', { partial: true });
  // the reply's follow-up task (reopening the chat) has run before the person leaves it
  const task = await t.relais.db.outboxJob.findFirstOrThrow({
    where: { name: 'request.staffReplied', data: { equals: { requestId: chat.id } } },
  });
  await eventually(async () => (await t.relais.dispatcher.queue('tasks').getJob(task.id))?.isCompleted());
  await person.say('menu');
  return { person, contactId };
}

const countsByKindAndStatus = () =>
  t.relais.db.request.groupBy({ by: ['kind', 'status'], _count: true, orderBy: [{ kind: 'asc' }, { status: 'asc' }] });

describe('"delete my data"', () => {
  it(
    'erases the conversation, message contents, codes, ' + 'follow-ups and request details; anonymous counts stay',
    async () => {
      const { person, contactId } = await personWithHistory('tg-erase');
      const other = await personWithHistory('tg-keep');
      const messageIds = (await t.relais.db.message.findMany({ where: { contactId }, select: { id: true } })).map(
        (m) => m.id,
      );
      expect(messageIds.length).toBeGreaterThan(10);
      expect(await t.relais.db.reconnectCode.count({ where: { contactId } })).toBe(1);
      expect(await t.relais.db.followUp.count({ where: { contactId } })).toBe(2);
      const requestIds = (await t.relais.db.request.findMany({ where: { contactId }, select: { id: true } })).map(
        (r) => r.id,
      );
      const totalBefore = await t.relais.db.request.count();

      await person.choose('privacy', 'erase', 'yes');
      await person.receives(person.t('privacy:erased'));

      expect(await t.relais.db.contact.findUniqueOrThrow({ where: { id: contactId } })).toMatchObject({
        status: 'ERASED',
        language: null,
        associationId: null,
        consentAt: null,
      });
      expect(await t.relais.db.conversation.count({ where: { contactId } })).toBe(0);
      expect(await t.relais.db.reconnectCode.count({ where: { contactId } })).toBe(0);
      expect(await t.relais.db.followUp.count({ where: { contactId } })).toBe(0);
      expect(await t.relais.db.followUp.count({ where: { requestId: { in: requestIds } } })).toBe(0);
      const messages = await t.relais.db.message.findMany({ where: { id: { in: messageIds } } });
      expect(messages.every((m) => m.content === null && m.contactId === null && m.contentPurgedAt !== null)).toBe(
        true,
      );
      const requests = await t.relais.db.request.findMany({ where: { id: { in: requestIds } } });
      expect(requests.map((r) => [r.kind, r.status, r.contactId, r.details])).toEqual(
        expect.arrayContaining([
          ['PHONE', 'SERVED', null, {}],
          ['RECHARGE', 'CANCELLED', null, {}],
          ['CONTACT', 'CANCELLED', null, {}],
        ]),
      );
      // nothing they wrote survives anywhere in the database
      const everything = JSON.stringify(
        [
          await t.relais.db.message.findMany({ where: { contactId: null } }),
          requests,
          await t.relais.db.auditEvent.findMany(),
          await t.relais.db.outboxJob.findMany(),
        ],
        (_k, v: unknown) => (typeof v === 'bigint' ? String(v) : v),
      );
      expect(everything).not.toContain(SECRET_PLACE);
      expect(everything).not.toContain('asylum');
      // anonymous counters remain: the same number of requests, by kind and status
      expect(await t.relais.db.request.count()).toBe(totalBefore);
      expect(await countsByKindAndStatus()).toContainEqual({ kind: 'PHONE', status: 'SERVED', _count: 2 });
      // the other person is untouched
      expect(await t.relais.db.followUp.count({ where: { contactId: other.contactId } })).toBe(2);
      expect(
        await t.relais.db.message.count({ where: { contactId: other.contactId, content: { not: { equals: null } } } }),
      ).toBeGreaterThan(10);
    },
  );

  it('an erased person writing again starts from the beginning and their old code no longer works', async () => {
    const person = new Person(t.relais, channel, 'tg-erase');
    await person.say('hello');
    await eventually(
      async () => person.texts().filter((m) => m === person.t('onboarding:choose_language')).length >= 2,
    );
    expect(
      (await t.relais.db.contact.findUniqueOrThrow({ where: { id: await person.contactId() } })).language,
    ).toBeNull();
    const oldCode = person
      .texts()
      .map((m) => /(\d{4} \d{4} \d{2})/.exec(m)?.[1])
      .find((code) => code !== undefined);
    expect(oldCode).toBeDefined();
    await person.choose('lang:en', 'code', 'have');
    await person.say(oldCode ?? '');
    await person.receives(person.t('code:wrong', { attemptsLeft: 4 }));
  });
});

describe('retention periods', () => {
  it(
    'purge message contents after MESSAGE_RETENTION_DAYS and closed request details after REQUEST_RETENTION_DAYS; ' +
      'counts stay',
    async () => {
      const { contactId } = await personWithHistory('tg-retain');
      const before = await countsByKindAndStatus();
      const in200Days = new Date(Date.now() + 200 * DAY);
      const purged = await purgeExpiredData(t.relais.db, t.config, in200Days);
      expect(purged.messageContents).toBeGreaterThan(0);
      expect(await t.relais.db.message.count({ where: { content: { not: { equals: null } } } })).toBe(0);
      const phone = await t.relais.db.request.findFirstOrThrow({ where: { contactId, kind: 'PHONE' } });
      expect(phone.details).toEqual({});
      // still open requests keep their details: volunteers need them
      const recharge = await t.relais.db.request.findFirstOrThrow({ where: { contactId, kind: 'RECHARGE' } });
      expect(recharge.details).toEqual({ operator: 'sfr', offer: 'eur10' });
      expect(await countsByKindAndStatus()).toEqual(before);

      // a person silent for INACTIVE_CONTACT_RETENTION_DAYS is erased with their codes and follow-ups
      await purgeExpiredData(t.relais.db, t.config, new Date(Date.now() + 400 * DAY));
      expect((await t.relais.db.contact.findUniqueOrThrow({ where: { id: contactId } })).status).toBe('ERASED');
      expect(await t.relais.db.reconnectCode.count({ where: { contactId } })).toBe(0);
      expect(await t.relais.db.followUp.count({ where: { contactId } })).toBe(0);
      expect(await t.relais.db.request.count({ where: { contactId } })).toBe(0);
      // erasure cancels what was still open, but every request is still counted, by kind
      const byKind = () => t.relais.db.request.groupBy({ by: ['kind'], _count: true, orderBy: { kind: 'asc' } });
      expect(await byKind()).toEqual(
        [
          { kind: 'PHONE', _count: 1 },
          { kind: 'RECHARGE', _count: 1 },
          { kind: 'CONTACT', _count: 1 },
        ].map((row) => ({
          ...row,
          _count: before.filter((b) => b.kind === row.kind).reduce((n, b) => n + b._count, 0),
        })),
      );
    },
  );
});
