import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  cancelFollowUpsOfRequest,
  scheduleAppointmentReminder,
  scheduleCheckIns,
} from '../../../src/core/followUps/followUpService.js';
import { deliverFollowUp } from '../../../src/core/followUps/followUpTasks.js';
import { enqueueTask } from '../../../src/core/queue/enqueueTask.js';
import { FakeChannel } from '../../support/fakeChannel.js';
import { Person } from '../../support/person.js';
import { eventually, startTestRelais, type TestRelais } from '../../support/testRelais.js';

let t: TestRelais;
const channel = new FakeChannel('TELEGRAM');
const DAY = 86_400_000;

beforeAll(async () => {
  // the first check-in comes ~1.7 s after the hand-over, the second after 30 days
  t = await startTestRelais('follow_ups', { FOLLOW_UP_DAYS: '0.00002,30' }, { transports: () => [channel] });
});
afterAll(async () => {
  await t?.close();
});

const person = (id: string) => new Person(t.relais, channel, id);

/** A person with a phone request; returns its id. */
async function phoneRequestOf(p: Person, language = 'en'): Promise<string> {
  await p.onboard(language);
  await p.choose('phone', 'self', 'lost', 'high', 'skip', 'send');
  return (await t.relais.db.request.findFirstOrThrow({ where: { contactId: await p.contactId(), kind: 'PHONE' } })).id;
}

/** What the Slack app does on hand-over: the request is served and `followups.schedule` is queued. */
async function handOver(requestId: string) {
  const jobId = await t.relais.db.$transaction(async (tx) => {
    await tx.request.update({ where: { id: requestId }, data: { status: 'SERVED', servedAt: new Date() } });
    return enqueueTask(tx, 'followups.schedule', { requestId });
  });
  await t.relais.dispatcher.dispatchJobs([jobId]);
}

async function deliver(followUpId: string) {
  return t.relais.db.$transaction((tx) => deliverFollowUp(tx, t.relais.inbound, followUpId, new Date()));
}

describe('check-ins after a hand-over', () => {
  it(
    'are scheduled as delayed jobs; when due the ' + 'check-in reaches the person and their answer is recorded',
    async () => {
      const jamal = person('tg-jamal');
      const requestId = await phoneRequestOf(jamal, 'ar');
      await handOver(requestId);
      const followUps = await eventually(async () => {
        const rows = await t.relais.db.followUp.findMany({ where: { requestId }, orderBy: { dueAt: 'asc' } });
        return rows.length === 2 ? rows : undefined;
      });
      expect(followUps.map((f) => f.kind)).toEqual(['CHECKIN', 'CHECKIN']);
      expect(followUps[1]!.dueAt.getTime() - followUps[0]!.dueAt.getTime()).toBeGreaterThan(29 * DAY);
      const reference = (await t.relais.db.request.findUniqueOrThrow({ where: { id: requestId } })).reference;
      await jamal.receives(jamal.t('checkIn:question', { reference }, 'ar'), { timeoutMs: 15_000 });
      expect((await t.relais.db.followUp.findUniqueOrThrow({ where: { id: followUps[0]!.id } })).status).toBe('SENT');
      await jamal.say('١');
      const answered = await t.relais.db.followUp.findUniqueOrThrow({ where: { id: followUps[0]!.id } });
      expect(answered).toMatchObject({ status: 'ANSWERED', answer: 'works' });
      expect(await t.relais.db.outboxJob.count({ where: { name: 'followup.answered' } })).toBe(1);
      await jamal.receives(jamal.t('checkIn:glad', {}, 'ar'));

      // a job delivered twice (BullMQ is at-least-once) and a hand-over told twice change nothing
      expect(await deliver(followUps[0]!.id)).toEqual({ status: 'skipped', reason: 'already answered' });
      await handOver(requestId).catch(() => undefined);
      await new Promise((r) => setTimeout(r, 500));
      expect(await t.relais.db.followUp.count({ where: { requestId } })).toBe(2);
    },
  );

  it('"I lost it" is recorded and the person can ask for a new phone right away', async () => {
    const kasra = person('tg-kasra');
    const requestId = await phoneRequestOf(kasra, 'fa');
    const contactId = await kasra.contactId();
    const [followUpId] = await t.relais.db.$transaction(async (tx) => {
      await tx.request.update({ where: { id: requestId }, data: { status: 'SERVED', servedAt: new Date() } });
      await scheduleCheckIns(tx, { requestId, contactId, handedOverAt: new Date(Date.now() - 40 * DAY), days: [3] });
      return (await tx.followUp.findMany({ where: { requestId }, select: { id: true } })).map((f) => f.id);
    });
    const sent = await deliver(followUpId ?? '');
    expect(sent.status).toBe('sent');
    await kasra.say('۳');
    expect(await t.relais.db.followUp.findUniqueOrThrow({ where: { id: followUpId ?? '' } })).toMatchObject({
      status: 'ANSWERED',
      answer: 'lost',
    });
    await kasra.choose('phone');
    await kasra.receives(kasra.t('phone:for_whom', {}, 'fa'));
  });
});

describe('follow-ups that are no longer relevant', () => {
  it('are cancelled when the person cancels the request, and skipped when a volunteer cancelled it', async () => {
    const lina = person('tg-lina');
    const requestId = await phoneRequestOf(lina);
    const contactId = await lina.contactId();
    await t.relais.db.$transaction((tx) =>
      scheduleCheckIns(tx, { requestId, contactId, handedOverAt: new Date(), days: [3, 30] }),
    );
    await lina.choose('myRequests', `cancel:${requestId}`, 'yes');
    expect(await t.relais.db.followUp.findMany({ where: { requestId }, select: { status: true } })).toEqual([
      { status: 'CANCELLED' },
      { status: 'CANCELLED' },
    ]);

    const other = person('tg-lina-2');
    const otherRequest = await phoneRequestOf(other);
    const otherContact = await other.contactId();
    await t.relais.db.$transaction((tx) =>
      scheduleCheckIns(tx, { requestId: otherRequest, contactId: otherContact, handedOverAt: new Date(), days: [3] }),
    );
    await t.relais.db.request.update({ where: { id: otherRequest }, data: { status: 'CANCELLED' } });
    const followUp = await t.relais.db.followUp.findFirstOrThrow({ where: { requestId: otherRequest } });
    const outbound = () => t.relais.db.message.count({ where: { contactId: otherContact, direction: 'OUTBOUND' } });
    const before = await outbound();
    expect(await deliver(followUp.id)).toEqual({ status: 'skipped', reason: 'request cancelled' });
    expect((await t.relais.db.followUp.findUniqueOrThrow({ where: { id: followUp.id } })).status).toBe('CANCELLED');
    expect(await outbound()).toBe(before);
  });

  it('are skipped for a person who asked to stop, and gone for a person who erased their data', async () => {
    const musa = person('tg-musa');
    const requestId = await phoneRequestOf(musa);
    const contactId = await musa.contactId();
    await t.relais.db.$transaction((tx) =>
      scheduleCheckIns(tx, { requestId, contactId, handedOverAt: new Date(), days: [3, 30] }),
    );
    const [first, second] = await t.relais.db.followUp.findMany({ where: { requestId }, orderBy: { dueAt: 'asc' } });
    await musa.say('stop');
    expect(await deliver(first?.id ?? '')).toEqual({ status: 'skipped', reason: 'person not active' });
    await musa.say('hello');
    await musa.choose('privacy', 'erase', 'yes');
    expect(await t.relais.db.followUp.count({ where: { contactId } })).toBe(0);
    expect(await deliver(second?.id ?? '')).toEqual({ status: 'skipped', reason: 'gone' });
  });
});

describe('appointment reminders', () => {
  it('remind the person of when and where; "I cannot come" opens the chat of that request', async () => {
    const nour = person('tg-nour');
    const requestId = await phoneRequestOf(nour, 'en');
    const contactId = await nour.contactId();
    const appointmentAt = new Date(Date.now() + 2 * 3_600_000 + 1500);
    const jobIds = await t.relais.db.$transaction(async (tx) => {
      // a first date, then a new one: only the reminders of the new date remain
      await scheduleAppointmentReminder(tx, {
        requestId,
        contactId,
        appointmentAt: new Date(Date.now() + 3 * DAY),
        place: 'Old place',
      });
      return scheduleAppointmentReminder(tx, {
        requestId,
        contactId,
        appointmentAt,
        place: 'Utopia 56, quai du Danube',
        hoursBefore: [24, 2],
      });
    });
    expect(jobIds).toHaveLength(1); // 24 h before is already past
    expect(
      await t.relais.db.followUp.groupBy({
        by: ['status'],
        where: { requestId },
        _count: true,
        orderBy: { status: 'asc' },
      }),
    ).toEqual([
      { status: 'SCHEDULED', _count: 1 },
      { status: 'CANCELLED', _count: 2 },
    ]);
    await t.relais.dispatcher.dispatchJobs(jobIds);
    await nour.receives('Utopia 56, quai du Danube', { partial: true, timeoutMs: 15_000 });
    await nour.choose('cannot_come');
    await nour.say('Tomorrow morning is better');
    const followUp = await t.relais.db.followUp.findFirstOrThrow({ where: { requestId, status: 'ANSWERED' } });
    expect(followUp.answer).toBe('cannot_come');
    const attached = await t.relais.db.message.findFirstOrThrow({
      where: { requestId, direction: 'INBOUND' },
      orderBy: { seq: 'desc' },
    });
    expect(attached.content).toEqual({ kind: 'text', text: 'Tomorrow morning is better' });
  });

  it('a follow-up whose delayed job was lost is found again by the periodic catch-up', async () => {
    const omar = person('tg-omar');
    const requestId = await phoneRequestOf(omar);
    await t.relais.db.request.update({ where: { id: requestId }, data: { status: 'SERVED', servedAt: new Date() } });
    // as after a Redis flush: the row is there, its job is not
    const lost = await t.relais.db.followUp.create({
      data: { kind: 'CHECKIN', requestId, contactId: await omar.contactId(), dueAt: new Date(Date.now() - 3_600_000) },
    });
    await t.relais.dispatcher.queue('tasks').add('followups.catchUp', {});
    await eventually(
      async () => (await t.relais.db.followUp.findUniqueOrThrow({ where: { id: lost.id } })).status === 'SENT',
      15_000,
    );
    const { reference } = await t.relais.db.request.findUniqueOrThrow({ where: { id: requestId } });
    await omar.receives(omar.t('checkIn:question', { reference }));
  });

  it('cancelling the follow-ups of a request leaves those already answered', async () => {
    const answered = await t.relais.db.followUp.findFirstOrThrow({ where: { status: 'ANSWERED', answer: 'works' } });
    const requestId = answered.requestId ?? '';
    expect(await t.relais.db.$transaction((tx) => cancelFollowUpsOfRequest(tx, requestId))).toBe(1);
    expect(
      await t.relais.db.followUp.findMany({
        where: { requestId },
        orderBy: { dueAt: 'asc' },
        select: { status: true },
      }),
    ).toEqual([{ status: 'ANSWERED' }, { status: 'CANCELLED' }]);
  });
});
