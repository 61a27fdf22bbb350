import type { Db } from '../db.js';
import { claimOnce } from '../idempotency/claimOnce.js';
import { enqueueTask } from '../queue/enqueueTask.js';
import { REQUEST_TASKS } from '../requests/requestService.js';
import { FOLLOW_UP_TASKS } from './followUpService.js';
import { signalOf, SIGNALS_FOR_STAFF, type FollowUpSignal } from './followUpSignals.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** What staff are told about one follow-up in the request card's thread. No words of the person, no number. */
export interface FollowUpNotice {
  signal: FollowUpSignal;
  request: {
    id: string;
    reference: string;
    associationId: string | null;
    slackChannelId: string | null;
    slackTs: string | null;
  };
  /** the request still has an allocation waiting to be collected (reschedule / cancel make sense) */
  allocationActive: boolean;
  /** when the check-in or reminder was sent to the person */
  sentAt: Date | null;
}

/** Loads the notice of one follow-up, or null when there is nothing to tell (no signal, no request). */
export async function followUpNotice(db: Db, followUpId: string): Promise<FollowUpNotice | null> {
  const row = await db.followUp.findUnique({
    where: { id: followUpId },
    select: {
      id: true,
      kind: true,
      answer: true,
      answeredAt: true,
      unansweredAt: true,
      appointmentAt: true,
      sentAt: true,
      request: {
        select: {
          id: true,
          reference: true,
          associationId: true,
          slackChannelId: true,
          slackTs: true,
          allocations: { where: { status: 'ACTIVE' }, select: { id: true }, take: 1 },
        },
      },
    },
  });
  const signal = row ? signalOf(row) : null;
  if (!row?.request || !signal) return null;
  const { allocations, ...request } = row.request;
  return { signal, request, allocationActive: allocations.length > 0, sentAt: row.sentAt };
}

export type NoticeOutcome = 'posted' | 'already posted' | 'nothing to tell' | 'shown on the card only' | 'no card';

/**
 * Tells staff about a follow-up at most once: `post` runs inside a transaction that holds the
 * notice's idempotency key (answer and silence have their own), so a retried or concurrent
 * task waits for the first and then does nothing; if `post` throws, nothing is recorded and
 * the retry posts. Answers that need no action ("works", "I will come") are not posted.
 * A request whose card is not posted yet gets it first (`postCard`), so the notice has a
 * thread to go to; 'no card' only when the request has no channel at all.
 */
export async function postFollowUpNoticeOnce(
  db: Db,
  followUpId: string,
  post: (notice: FollowUpNotice) => Promise<void>,
  postCard?: (requestId: string) => Promise<unknown>,
): Promise<NoticeOutcome> {
  let notice = await followUpNotice(db, followUpId);
  if (!notice) return 'nothing to tell';
  if (!SIGNALS_FOR_STAFF.includes(notice.signal.kind)) return 'shown on the card only';
  if ((!notice.request.slackChannelId || !notice.request.slackTs) && postCard) {
    await postCard(notice.request.id);
    notice = await followUpNotice(db, followUpId);
    if (!notice) return 'nothing to tell';
  }
  if (!notice.request.slackChannelId || !notice.request.slackTs) return 'no card';
  return db.$transaction(
    async (tx) => {
      if (!(await claimOnce(tx, `followup:notice:${followUpId}:${notice.signal.kind}`))) return 'already posted';
      await post(notice);
      await tx.followUp.update({ where: { id: followUpId }, data: { staffNotifiedAt: new Date() } });
      return 'posted';
    },
    { maxWait: 10_000, timeout: 30_000 },
  );
}

/**
 * Finds follow-ups whose answer did not come in time and marks them, each once, queueing
 * `followup.unanswered` (staff are told) and `request.changed` (the card shows it):
 * - an appointment is "not confirmed" when reminders of it were sent, none was answered,
 *   and it is `confirmHours` away or less (APPOINTMENT_CONFIRM_HOURS), the allocation still waiting;
 * - a check-in is "silent" when it was sent `silenceDays` ago (FOLLOW_UP_SILENCE_DAYS) and not answered.
 * Returns the outbox task ids.
 */
export async function markUnansweredFollowUps(
  db: Db,
  input: { now: Date; confirmHours: number; silenceDays: number },
): Promise<string[]> {
  const jobIds: string[] = [];
  const reminders = await db.followUp.findMany({
    where: {
      kind: 'APPOINTMENT_REMINDER',
      status: 'SENT',
      unansweredAt: null,
      appointmentAt: { lte: new Date(input.now.getTime() + input.confirmHours * HOUR) },
    },
    select: { id: true, requestId: true, appointmentAt: true, sentAt: true },
    orderBy: { sentAt: 'desc' },
    take: 500,
  });
  const seen = new Set<string>();
  for (const reminder of reminders) {
    if (!reminder.requestId || !reminder.appointmentAt) continue;
    const key = `${reminder.requestId}:${reminder.appointmentAt.getTime()}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const { requestId, appointmentAt } = reminder;
    const ids = await db.$transaction(async (tx) => {
      const [answered, waiting] = await Promise.all([
        tx.followUp.count({ where: { requestId, kind: 'APPOINTMENT_REMINDER', appointmentAt, status: 'ANSWERED' } }),
        tx.allocation.count({ where: { requestId, status: 'ACTIVE', appointmentAt } }),
      ]);
      const marked = await tx.followUp.updateMany({
        where: { requestId, kind: 'APPOINTMENT_REMINDER', appointmentAt, status: 'SENT', unansweredAt: null },
        data: { unansweredAt: input.now },
      });
      // an appointment confirmed by another reminder, or moved or cancelled since: nothing to report
      if (marked.count === 0 || answered > 0 || waiting === 0) return [];
      return [
        await enqueueTask(tx, FOLLOW_UP_TASKS.unanswered, { followUpId: reminder.id }),
        await enqueueTask(tx, REQUEST_TASKS.changed, { requestId }),
      ];
    });
    jobIds.push(...ids);
  }
  const silent = await db.followUp.findMany({
    where: {
      kind: 'CHECKIN',
      status: 'SENT',
      unansweredAt: null,
      sentAt: { lte: new Date(input.now.getTime() - input.silenceDays * DAY) },
    },
    select: { id: true, requestId: true },
    take: 500,
  });
  for (const checkIn of silent) {
    const ids = await db.$transaction(async (tx) => {
      const marked = await tx.followUp.updateMany({
        where: { id: checkIn.id, status: 'SENT', unansweredAt: null },
        data: { unansweredAt: input.now },
      });
      if (marked.count === 0 || !checkIn.requestId) return [];
      return [
        await enqueueTask(tx, FOLLOW_UP_TASKS.unanswered, { followUpId: checkIn.id }),
        await enqueueTask(tx, REQUEST_TASKS.changed, { requestId: checkIn.requestId }),
      ];
    });
    jobIds.push(...ids);
  }
  return jobIds;
}
