import type { Tx } from '../db.js';
import { recordAudit } from '../audit/auditTrail.js';
import { enqueueTask } from '../queue/enqueueTask.js';
import type { FollowUpAnswer } from '../commands/commandTypes.js';
import { REQUEST_TASKS } from '../requests/requestService.js';

const DAY = 86_400_000;
const HOUR = 3_600_000;

/** Task names of follow-ups (core handlers in followUpTasks.ts). */
export const FOLLOW_UP_TASKS = {
  /** { followUpId }: send the check-in or reminder if still relevant */
  due: 'followup.due',
  /** { requestId }: a phone was handed over (emitted by the Slack app) */
  schedule: 'followups.schedule',
  /** { followUpId }: a person answered; the Slack app may post it */
  answered: 'followup.answered',
  /** { followUpId }: no answer by its deadline (followUpNotices.ts); the Slack app posts it */
  unanswered: 'followup.unanswered',
  /** periodic: re-queues follow-ups whose delayed job was lost (Redis flushed) */
  catchUp: 'followups.catchUp',
} as const;

export const DEFAULT_REMINDER_HOURS: readonly number[] = [24, 2];

/**
 * Schedules the check-ins after a phone was handed over (`days` after `handedOverAt`, from
 * FOLLOW_UP_DAYS): one FollowUp row and one delayed task each, written in the caller's
 * transaction (the outbox hands them to BullMQ as delayed jobs, which survive restarts).
 * Idempotent: a request that already has check-ins gets no more. Returns the outbox task ids.
 */
export async function scheduleCheckIns(
  tx: Tx,
  input: { requestId: string; contactId: string; handedOverAt: Date; days?: readonly number[] },
): Promise<string[]> {
  const existing = await tx.followUp.count({ where: { requestId: input.requestId, kind: 'CHECKIN' } });
  if (existing > 0) return [];
  const jobIds: string[] = [];
  for (const days of input.days ?? [3, 30]) {
    const dueAt = new Date(input.handedOverAt.getTime() + days * DAY);
    const followUp = await tx.followUp.create({
      data: { kind: 'CHECKIN', contactId: input.contactId, requestId: input.requestId, dueAt },
      select: { id: true },
    });
    jobIds.push(await enqueueTask(tx, FOLLOW_UP_TASKS.due, { followUpId: followUp.id }, dueAt));
  }
  return jobIds;
}

/**
 * Schedules reminders of an appointment (`hoursBefore`, by default the day before and 2 hours
 * before; pass config APPOINTMENT_REMINDER_HOURS). Calling it again for the same request
 * (a new date) cancels the reminders not sent yet. Reminders already in the past are skipped.
 * Returns the outbox task ids.
 */
export async function scheduleAppointmentReminder(
  tx: Tx,
  input: {
    requestId: string;
    contactId: string;
    appointmentAt: Date;
    place: string | null;
    hoursBefore?: readonly number[];
    now?: Date;
  },
): Promise<string[]> {
  const now = input.now ?? new Date();
  await tx.followUp.updateMany({
    where: { requestId: input.requestId, kind: 'APPOINTMENT_REMINDER', status: 'SCHEDULED' },
    data: { status: 'CANCELLED' },
  });
  const jobIds: string[] = [];
  for (const hours of input.hoursBefore ?? DEFAULT_REMINDER_HOURS) {
    const dueAt = new Date(input.appointmentAt.getTime() - hours * HOUR);
    if (dueAt <= now) continue;
    const followUp = await tx.followUp.create({
      data: {
        kind: 'APPOINTMENT_REMINDER',
        contactId: input.contactId,
        requestId: input.requestId,
        dueAt,
        appointmentAt: input.appointmentAt,
        appointmentPlace: input.place,
      },
      select: { id: true },
    });
    jobIds.push(await enqueueTask(tx, FOLLOW_UP_TASKS.due, { followUpId: followUp.id }, dueAt));
  }
  return jobIds;
}

/** A request that no longer needs follow-up (cancelled): its pending check-ins and reminders are cancelled. */
export async function cancelFollowUpsOfRequest(tx: Tx, requestId: string): Promise<number> {
  const { count } = await tx.followUp.updateMany({
    where: { requestId, status: 'SCHEDULED' },
    data: { status: 'CANCELLED' },
  });
  return count;
}

/**
 * Records a person's answer to a check-in or reminder that was sent to them (only their own,
 * only once) and queues `followup.answered` and the card's refresh. Returns the task ids (none if nothing changed).
 */
export async function recordFollowUpAnswer(
  tx: Tx,
  input: { followUpId: string; contactId: string; answer: FollowUpAnswer; now: Date },
): Promise<string[]> {
  const { count } = await tx.followUp.updateMany({
    where: { id: input.followUpId, contactId: input.contactId, status: 'SENT' },
    data: { status: 'ANSWERED', answer: input.answer, answeredAt: input.now },
  });
  if (count !== 1) return [];
  const followUp = await tx.followUp.findUnique({
    where: { id: input.followUpId },
    select: { requestId: true, request: { select: { associationId: true } } },
  });
  await recordAudit(tx, {
    actorType: 'CONTACT',
    actorId: input.contactId,
    action: 'followup.answered',
    entityType: 'FollowUp',
    entityId: input.followUpId,
    associationId: followUp?.request?.associationId ?? null,
    data: { answer: input.answer, ...(followUp?.requestId ? { requestId: followUp.requestId } : {}) },
  });
  // the card shows the answer; the Slack app posts those that need a volunteer in its thread
  const jobIds = followUp?.requestId
    ? [await enqueueTask(tx, REQUEST_TASKS.changed, { requestId: followUp.requestId })]
    : [];
  return [...jobIds, await enqueueTask(tx, FOLLOW_UP_TASKS.answered, { followUpId: input.followUpId })];
}
