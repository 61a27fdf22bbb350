import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scheduleAppointmentReminder, scheduleCheckIns } from '../../../src/core/followUps/followUpService.js';
import { deliverFollowUp } from '../../../src/core/followUps/followUpTasks.js';
import { enqueueTask } from '../../../src/core/queue/enqueueTask.js';
import { QUEUES } from '../../../src/core/queue/queueConnection.js';
import { Person } from '../../support/person.js';
import { eventually } from '../../support/testRelais.js';
import { CHANNEL_A, lastRenderOf, STAFF, startSlackFixture, type SlackFixture } from './support/slackFixture.js';

let f: SlackFixture;
beforeAll(async () => {
  f = await startSlackFixture('slack_followups');
});
afterAll(async () => {
  await f?.close();
});

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** Thread replies posted under a card. */
const threadPosts = (card: { channel: string; ts: string }) =>
  f.fake.of('chat.postMessage').filter((c) => c.args.channel === card.channel && c.args.thread_ts === card.ts);
const buttonsOf = (call: { args: Record<string, unknown> }) =>
  [...JSON.stringify(call.args.blocks).matchAll(/"action_id":"([^"]+)"/g)].map((m) => m[1]);

/**
 * A phone request with a device allocated from Slack and a pick-up appointment `inHours` ahead; the 2-hour reminder is
 * then delivered.
 */
async function appointmentReminded(platformId: string, deviceIndex: number, inHours = 3) {
  const contactId = await f.newPerson(platformId, 'fr');
  const person = new Person(f.t.relais, f.people, platformId);
  const card = await f.newRequest({ kind: 'PHONE', contactId, associationId: f.seed.associationA, language: 'fr' });
  const at = Math.floor((Date.now() + inHours * HOUR) / 1000);
  const response = await f.slack.viewSubmission({
    userId: STAFF.volunteerA,
    callbackId: 'allocate_device',
    metadata: { requestId: card.id },
    values: {
      'device:*': { device: { type: 'static_select', selected_option: { value: f.seed.devicesA[deviceIndex] ?? '' } } },
      appointment_at: { at: { type: 'datetimepicker', selected_date_time: at } },
      appointment_place: { place: { type: 'plain_text_input', value: 'Local Utopia' } },
    },
  });
  expect(response.body).toBe('');
  const allocation = await f.t.relais.db.allocation.findFirstOrThrow({
    where: { requestId: card.id, status: 'ACTIVE' },
  });
  await eventually(
    async () =>
      (
        await f.t.relais.db.outboxJob.findFirst({
          where: { name: 'appointment.scheduled', data: { equals: { allocationId: allocation.id } } },
        })
      )?.status === 'DONE',
  );
  if (inHours <= 2) {
    // too close for the 24 h and 2 h reminders: one sent an hour before the appointment, as if it had been set earlier
    await f.t.relais.db.$transaction((tx) =>
      scheduleAppointmentReminder(tx, {
        requestId: card.id,
        contactId,
        appointmentAt: allocation.appointmentAt ?? new Date(),
        place: 'Local Utopia',
        hoursBefore: [1],
        now: new Date(Date.now() - HOUR),
      }),
    );
  }
  const reminder = await eventually(async () =>
    f.t.relais.db.followUp.findFirst({
      where: { requestId: card.id, kind: 'APPOINTMENT_REMINDER', status: 'SCHEDULED' },
    }),
  );
  const sent = await f.t.relais.db.$transaction((tx) =>
    deliverFollowUp(tx, f.t.relais.inbound, reminder.id, new Date()),
  );
  expect(sent.status).toBe('sent');
  if (sent.status === 'sent') await f.t.relais.dispatcher.dispatchMessages(sent.messages);
  await eventually(async () => person.texts().find((t) => t.includes(card.reference) && t.includes('Local Utopia')));
  return { person, card, reminderId: reminder.id };
}

/** Runs the periodic follow-up sweep now and waits until it is done. */
async function runSweep() {
  const job = await f.t.relais.dispatcher.queue(QUEUES.tasks).add('followups.catchUp', {});
  await eventually(async () => ['completed', 'failed'].includes(await job.getState()));
}

/** Queues `followup.answered` again, as a retried task would run, and waits for it to settle. */
async function retryNotice(followUpId: string) {
  const jobId = await f.t.relais.db.$transaction((tx) => enqueueTask(tx, 'followup.answered', { followUpId }));
  await f.t.relais.dispatcher.dispatchJobs([jobId]);
  await eventually(async () => (await f.t.relais.db.outboxJob.findUnique({ where: { id: jobId } }))?.status === 'DONE');
}

describe('what people answer reaches the volunteers', () => {
  it(
    '"I cannot come" updates the card and is posted once in its thread with reschedule, cancel and reply, even when ' +
      'the task is retried',
    async () => {
      const { person, card, reminderId } = await appointmentReminded('+33622220001', 0);
      await person.choose('cannot_come');
      const post = await eventually(async () =>
        threadPosts(card).find((c) => String(c.args.text).includes('ne peut pas venir')),
      );
      expect(String(post.args.text)).toContain(card.reference);
      expect(buttonsOf(post)).toEqual(['request.reply', 'request.reschedule', 'request.cancel_allocation']);
      await eventually(async () =>
        JSON.stringify(lastRenderOf(f.fake, card.channel, card.ts)?.blocks ?? '').includes(
          'La personne ne peut pas venir au rendez-vous',
        ),
      );
      expect(await f.t.relais.db.followUp.findUniqueOrThrow({ where: { id: reminderId } })).toMatchObject({
        status: 'ANSWERED',
        answer: 'cannot_come',
      });
      await eventually(
        async () => (await f.t.relais.db.followUp.findUniqueOrThrow({ where: { id: reminderId } })).staffNotifiedAt,
      );

      await retryNotice(reminderId);
      await Promise.all([retryNotice(reminderId), retryNotice(reminderId)]);
      expect(threadPosts(card).filter((c) => String(c.args.text).includes('ne peut pas venir'))).toHaveLength(1);
      // the person's words or number never reach Slack
      expect(f.fake.allText()).not.toContain('+33622220001');
    },
  );

  it('"I will come" shows on the card and posts nothing in the thread', async () => {
    const { person, card, reminderId } = await appointmentReminded('+33622220002', 1);
    await person.choose('coming');
    await eventually(async () =>
      JSON.stringify(lastRenderOf(f.fake, card.channel, card.ts)?.blocks ?? '').includes(
        'Rendez-vous confirmé : la personne viendra',
      ),
    );
    await retryNotice(reminderId);
    expect(threadPosts(card)).toHaveLength(0);
  });

  it(
    'an appointment nobody confirmed is posted once by the sweep; "Reschedule" moves it and tells the person in ' +
      'their language',
    async () => {
      // within APPOINTMENT_CONFIRM_HOURS (1 h) of the appointment, the reminder still unanswered
      const { person, card } = await appointmentReminded('+33622220003', 2, 0.5);
      await runSweep();
      const post = await eventually(async () =>
        threadPosts(card).find((c) => String(c.args.text).includes("n'est *pas confirmé*")),
      );
      expect(buttonsOf(post)).toEqual(['request.reply', 'request.reschedule', 'request.cancel_allocation']);
      await eventually(async () =>
        JSON.stringify(lastRenderOf(f.fake, card.channel, card.ts)?.blocks ?? '').includes('Rendez-vous non confirmé'),
      );
      await runSweep();
      expect(threadPosts(card).filter((c) => String(c.args.text).includes('pas confirmé'))).toHaveLength(1);

      await f.slack.blockAction({
        userId: STAFF.volunteerA,
        actionId: 'request.reschedule',
        value: card.id,
        channelId: CHANNEL_A,
      });
      const opened = await eventually(async () =>
        f.fake.of('views.open').find((c) => JSON.stringify(c.args.view).includes('reschedule_appointment')),
      );
      expect(JSON.stringify(opened.args.view)).toContain('Local Utopia');
      const newAt = new Date(Date.now() + 2 * DAY);
      const response = await f.slack.viewSubmission({
        userId: STAFF.volunteerA,
        callbackId: 'reschedule_appointment',
        metadata: { requestId: card.id },
        values: {
          appointment_at: { at: { type: 'datetimepicker', selected_date_time: Math.floor(newAt.getTime() / 1000) } },
          appointment_place: { place: { type: 'plain_text_input', value: 'Local Utopia, 12 rue des Prés' } },
        },
      });
      expect(response.body).toBe('');
      await person.receives('Votre rendez-vous a changé', { partial: true });
      const allocation = await f.t.relais.db.allocation.findFirstOrThrow({
        where: { requestId: card.id, status: 'ACTIVE' },
      });
      expect(Math.floor((allocation.appointmentAt?.getTime() ?? 0) / 1000)).toBe(Math.floor(newAt.getTime() / 1000));
      expect(allocation.appointmentPlace).toBe('Local Utopia, 12 rue des Prés');
      expect(
        await f.t.relais.db.auditEvent.count({
          where: { action: 'appointment.rescheduled', entityId: card.id, actorId: f.seed.staff.volunteerA },
        }),
      ).toBe(1);
      // new reminders for the new date; the card no longer says "not confirmed" (that was the old appointment)
      await eventually(
        async () =>
          (await f.t.relais.db.followUp.count({
            where: { requestId: card.id, status: 'SCHEDULED', appointmentAt: allocation.appointmentAt },
          })) === 2,
      );
      await eventually(
        async () => !JSON.stringify(lastRenderOf(f.fake, card.channel, card.ts)?.blocks ?? '').includes('non confirmé'),
      );
    },
  );

  it(
    'a check-in answered "lost it" reaches the thread once with a reply button; a check-in left unanswered is ' +
      'posted by the sweep',
    async () => {
      const platformId = '+33622220004';
      const contactId = await f.newPerson(platformId, 'fr');
      const person = new Person(f.t.relais, f.people, platformId);
      const card = await f.newRequest({ kind: 'PHONE', contactId, associationId: f.seed.associationA, language: 'fr' });
      const ids = await f.t.relais.db.$transaction(async (tx) => {
        await tx.request.update({ where: { id: card.id }, data: { status: 'SERVED', servedAt: new Date() } });
        await scheduleCheckIns(tx, {
          requestId: card.id,
          contactId,
          handedOverAt: new Date(Date.now() - 3 * DAY - 60_000),
          days: [3, 30],
        });
        return (
          await tx.followUp.findMany({ where: { requestId: card.id }, orderBy: { dueAt: 'asc' }, select: { id: true } })
        ).map((r) => r.id);
      });
      const [first = '', second = ''] = ids;
      // the first check-in is due (its delayed job runs now), the second in 27 days
      await eventually(async () => person.texts().find((t) => t.includes(card.reference)));
      await person.choose('lost');
      const post = await eventually(async () =>
        threadPosts(card).find((c) => String(c.args.text).includes('*perdu le téléphone*')),
      );
      expect(buttonsOf(post)).toEqual(['request.reply']);
      await retryNotice(first);
      expect(threadPosts(card).filter((c) => String(c.args.text).includes('perdu'))).toHaveLength(1);
      await eventually(async () =>
        JSON.stringify(lastRenderOf(f.fake, card.channel, card.ts)?.blocks ?? '').includes('le téléphone a été perdu'),
      );

      // later, the second check-in was sent and got no answer in 8 days (FOLLOW_UP_SILENCE_DAYS is 7)
      const sentAt = new Date(Date.now() - 8 * DAY);
      await f.t.relais.db.followUp.update({ where: { id: second }, data: { status: 'SENT', sentAt } });
      await runSweep();
      const silence = await eventually(async () =>
        threadPosts(card).find((c) => String(c.args.text).includes("*n'a pas répondu au suivi*")),
      );
      // the day it was sent, rendered by Slack in each reader's time zone
      expect(String(silence.args.text)).toContain(`<!date^${Math.floor(sentAt.getTime() / 1000)}^`);
      expect(buttonsOf(silence)).toEqual(['request.reply']);
      await runSweep();
      expect(threadPosts(card).filter((c) => String(c.args.text).includes('pas répondu'))).toHaveLength(1);
      await eventually(async () =>
        JSON.stringify(lastRenderOf(f.fake, card.channel, card.ts)?.blocks ?? '').includes('Pas de réponse au suivi'),
      );
    },
  );

  it('a notice for a request whose card was never posted posts the card, then the notice in its thread', async () => {
    const contactId = await f.newPerson('+33622220005', 'fr');
    const card = await f.newRequest({ kind: 'PHONE', contactId, associationId: f.seed.associationA, language: 'fr' });
    const followUp = await f.t.relais.db.$transaction(async (tx) => {
      // as if Slack had been unreachable when the request came and its card task had given up
      await tx.request.update({
        where: { id: card.id },
        data: { status: 'SERVED', servedAt: new Date(), slackChannelId: null, slackTs: null },
      });
      // a check-in the person answered "it does not work", whose notice task runs before any card refresh
      return tx.followUp.create({
        data: {
          kind: 'CHECKIN',
          status: 'ANSWERED',
          contactId,
          requestId: card.id,
          dueAt: new Date(Date.now() - DAY),
          sentAt: new Date(Date.now() - DAY),
          answeredAt: new Date(),
          answer: 'problem',
        },
      });
    });
    await retryNotice(followUp.id);
    const row = await f.t.relais.db.request.findUniqueOrThrow({ where: { id: card.id } });
    expect(row.slackChannelId).toBe(CHANNEL_A);
    expect(row.slackTs).not.toBeNull();
    expect(row.slackTs).not.toBe(card.ts);
    const notice = threadPosts({ channel: CHANNEL_A, ts: row.slackTs ?? '' });
    expect(notice).toHaveLength(1);
    expect(String(notice[0]?.args.text)).toContain(card.reference);
    expect(buttonsOf(notice[0] ?? { args: {} })).toEqual(['request.reply']);
    expect((await f.t.relais.db.followUp.findUniqueOrThrow({ where: { id: followUp.id } })).staffNotifiedAt).not.toBe(
      null,
    );
  });
});
