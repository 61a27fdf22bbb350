import { z } from 'zod';
import type { FlowData } from '../conversation/turnTypes.js';
import type { Config } from '../config.js';
import type { Db, Tx } from '../db.js';
import type { InboundService } from '../inbound/inboundService.js';
import type { OutboxDispatcher } from '../outbound/outboxDispatcher.js';
import { QUEUES } from '../queue/queueConnection.js';
import type { TaskHandlers } from '../queue/taskWorker.js';
import { readTaskData } from '../queue/taskData.js';
import { OPEN_STATUSES } from '../requests/requestStatus.js';
import { FOLLOW_UP_TASKS, scheduleAppointmentReminder, scheduleCheckIns } from './followUpService.js';
import { FOLLOW_UP_FLOWS } from '../proactiveFlows.js';
import { markUnansweredFollowUps } from './followUpNotices.js';

export interface FollowUpTaskDeps {
  db: Db;
  config: Config;
  inbound: Pick<InboundService, 'startFlowFor'>;
  dispatcher: Pick<OutboxDispatcher, 'dispatchMessages' | 'dispatchJobs' | 'queue'>;
}

/** A follow-up whose delayed job did not run this long after it was due is queued again. */
const CATCH_UP_AFTER_MS = 10 * 60_000;

type DueOutcome =
  | { status: 'sent'; messages: Array<{ id: string; channel: string; identityId: string | null }> }
  | { status: 'skipped'; reason: string };

/**
 * Sends one due follow-up, at most once (the SCHEDULED → SENT update is conditional, so a
 * job delivered twice does nothing the second time), and only while it still makes sense:
 * the person is active (not erased, not paused), the request is not cancelled, an
 * appointment is still ahead. Otherwise the follow-up is cancelled.
 */
export async function deliverFollowUp(
  tx: Tx,
  inbound: FollowUpTaskDeps['inbound'],
  followUpId: string,
  now: Date,
): Promise<DueOutcome> {
  const followUp = await tx.followUp.findUnique({
    where: { id: followUpId },
    select: {
      kind: true,
      status: true,
      contactId: true,
      requestId: true,
      appointmentAt: true,
      appointmentPlace: true,
      contact: { select: { status: true } },
      request: { select: { status: true, reference: true } },
    },
  });
  if (!followUp) return { status: 'skipped', reason: 'gone' };
  if (followUp.status !== 'SCHEDULED') return { status: 'skipped', reason: `already ${followUp.status.toLowerCase()}` };
  const cancel = async (reason: string): Promise<DueOutcome> => {
    await tx.followUp.updateMany({ where: { id: followUpId, status: 'SCHEDULED' }, data: { status: 'CANCELLED' } });
    return { status: 'skipped', reason };
  };
  const { request, contactId } = followUp;
  if (!contactId || followUp.contact?.status !== 'ACTIVE') return cancel('person not active');
  if (!request || request.status === 'CANCELLED') return cancel('request cancelled');
  const isReminder = followUp.kind === 'APPOINTMENT_REMINDER';
  if (
    isReminder &&
    (!followUp.appointmentAt || followUp.appointmentAt <= now || !OPEN_STATUSES.includes(request.status))
  )
    return cancel('appointment no longer ahead');

  const claimed = await tx.followUp.updateMany({
    where: { id: followUpId, status: 'SCHEDULED' },
    data: { status: 'SENT', sentAt: now },
  });
  if (claimed.count !== 1) return { status: 'skipped', reason: 'taken by another run' };
  const data: FlowData = { followUpId, requestId: followUp.requestId, reference: request.reference };
  if (isReminder)
    Object.assign(data, {
      appointmentAt: followUp.appointmentAt?.toISOString() ?? '',
      place: followUp.appointmentPlace ?? '',
    });
  const messages = await inbound.startFlowFor(contactId, FOLLOW_UP_FLOWS[followUp.kind], data, { tx });
  if (!messages) return cancel('person unreachable');
  return { status: 'sent', messages };
}

const followUpData = z.object({ followUpId: z.string().uuid() });
const requestData = z.object({ requestId: z.string().uuid() });
const allocationData = z.object({ allocationId: z.string().uuid() });
/** Emitted by the device allocation (Slack) when a pick-up appointment is set. */
export const APPOINTMENT_SCHEDULED_TASK = 'appointment.scheduled';

/** Core tasks of follow-ups: send due ones, schedule check-ins after a hand-over, catch up lost jobs. */
export function buildFollowUpTasks(deps: FollowUpTaskDeps): TaskHandlers {
  return {
    [FOLLOW_UP_TASKS.due]: async (data) => {
      const { followUpId } = readTaskData(followUpData, data, FOLLOW_UP_TASKS.due);
      const outcome = await deps.db.$transaction((tx) => deliverFollowUp(tx, deps.inbound, followUpId, new Date()));
      if (outcome.status === 'sent') await deps.dispatcher.dispatchMessages(outcome.messages);
      return outcome.status === 'sent' ? 'sent' : outcome.reason;
    },

    [FOLLOW_UP_TASKS.schedule]: async (data) => {
      const { requestId } = readTaskData(requestData, data, FOLLOW_UP_TASKS.schedule);
      const jobIds = await deps.db.$transaction(async (tx) => {
        const request = await tx.request.findUnique({
          where: { id: requestId },
          select: {
            kind: true,
            status: true,
            contactId: true,
            servedAt: true,
            allocations: {
              where: { status: 'HANDED_OVER' },
              orderBy: { handedOverAt: 'desc' },
              take: 1,
              select: { handedOverAt: true },
            },
          },
        });
        if (!request?.contactId || request.kind !== 'PHONE' || request.status === 'CANCELLED') return [];
        const handedOverAt = request.allocations[0]?.handedOverAt ?? request.servedAt ?? new Date();
        return scheduleCheckIns(tx, {
          requestId,
          contactId: request.contactId,
          handedOverAt,
          days: deps.config.FOLLOW_UP_DAYS,
        });
      });
      await deps.dispatcher.dispatchJobs(jobIds);
      return `${jobIds.length} check-ins scheduled`;
    },

    [APPOINTMENT_SCHEDULED_TASK]: async (data) => {
      const { allocationId } = readTaskData(allocationData, data, APPOINTMENT_SCHEDULED_TASK);
      const jobIds = await deps.db.$transaction(async (tx) => {
        const allocation = await tx.allocation.findUnique({
          where: { id: allocationId },
          select: {
            status: true,
            requestId: true,
            appointmentAt: true,
            appointmentPlace: true,
            request: { select: { contactId: true } },
          },
        });
        if (allocation?.status !== 'ACTIVE' || !allocation.appointmentAt || !allocation.request.contactId) return [];
        return scheduleAppointmentReminder(tx, {
          requestId: allocation.requestId,
          contactId: allocation.request.contactId,
          appointmentAt: allocation.appointmentAt,
          place: allocation.appointmentPlace,
          hoursBefore: deps.config.APPOINTMENT_REMINDER_HOURS,
        });
      });
      await deps.dispatcher.dispatchJobs(jobIds);
      return `${jobIds.length} reminders scheduled`;
    },

    // without a staff channel (no Slack) the answer stays in the database and on the admin API
    [FOLLOW_UP_TASKS.answered]: async () => 'no staff channel configured',
    [FOLLOW_UP_TASKS.unanswered]: async () => 'no staff channel configured',

    [FOLLOW_UP_TASKS.catchUp]: async () => {
      const overdue = await deps.db.followUp.findMany({
        where: { status: 'SCHEDULED', dueAt: { lt: new Date(Date.now() - CATCH_UP_AFTER_MS) } },
        select: { id: true },
        orderBy: { dueAt: 'asc' },
        take: 500,
      });
      // one job id per follow-up: while it waits or runs, queueing it again is a no-op
      const queue = deps.dispatcher.queue(QUEUES.tasks);
      for (const f of overdue) await queue.add(FOLLOW_UP_TASKS.due, { followUpId: f.id }, { jobId: `catchup-${f.id}` });
      // the same sweep notices answers that did not come in time (appointments not confirmed, silent check-ins)
      const silenceJobs = await markUnansweredFollowUps(deps.db, {
        now: new Date(),
        confirmHours: deps.config.APPOINTMENT_CONFIRM_HOURS,
        silenceDays: deps.config.FOLLOW_UP_SILENCE_DAYS,
      });
      await deps.dispatcher.dispatchJobs(silenceJobs);
      return `${overdue.length} overdue follow-ups queued, ${silenceJobs.length / 2} left unanswered`;
    },
  };
}
