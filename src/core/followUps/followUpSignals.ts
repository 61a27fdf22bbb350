import type { Db, Tx } from '../db.js';

/**
 * What staff should know of a request's follow-ups: an answer the person gave, or a silence
 * past its deadline (`not_confirmed`: an appointment reminded but confirmed by no reminder;
 * `silent`: a check-in left unanswered, see FOLLOW_UP_SILENCE_DAYS).
 */
export type FollowUpSignalKind = 'works' | 'problem' | 'lost' | 'coming' | 'cannot_come' | 'not_confirmed' | 'silent';

export interface FollowUpSignal {
  followUpId: string;
  kind: FollowUpSignalKind;
  /** when the person answered, or when the deadline passed */
  at: Date;
  /** the appointment the reminder was about (reminders only) */
  appointmentAt: Date | null;
}

/** Signals that are posted in the request card's thread (the others only show on the card). */
export const SIGNALS_FOR_STAFF: readonly FollowUpSignalKind[] = [
  'problem',
  'lost',
  'cannot_come',
  'not_confirmed',
  'silent',
];

interface SignalRow {
  id: string;
  kind: 'CHECKIN' | 'APPOINTMENT_REMINDER';
  answer: string | null;
  answeredAt: Date | null;
  unansweredAt: Date | null;
  appointmentAt: Date | null;
}

const ANSWERS = ['works', 'problem', 'lost', 'coming', 'cannot_come'] as const satisfies readonly FollowUpSignalKind[];
const isAnswer = (value: string): value is (typeof ANSWERS)[number] => (ANSWERS as readonly string[]).includes(value);

/** The signal one follow-up row carries, or null (not answered, deadline not passed). */
export function signalOf(row: SignalRow): FollowUpSignal | null {
  if (row.answer && row.answeredAt && isAnswer(row.answer)) {
    return { followUpId: row.id, kind: row.answer, at: row.answeredAt, appointmentAt: row.appointmentAt };
  }
  if (row.unansweredAt) {
    return {
      followUpId: row.id,
      kind: row.kind === 'CHECKIN' ? 'silent' : 'not_confirmed',
      at: row.unansweredAt,
      appointmentAt: row.appointmentAt,
    };
  }
  return null;
}

/**
 * The latest follow-up signal of a request, as its card shows it. Reminders count only for
 * the appointment still ahead (`appointmentAt` of the active allocation, null once the phone
 * was handed over or the allocation cancelled); check-ins always count.
 */
export async function latestFollowUpSignal(
  db: Db | Tx,
  requestId: string,
  currentAppointmentAt: Date | null,
): Promise<FollowUpSignal | null> {
  const rows = await db.followUp.findMany({
    where: {
      requestId,
      OR: [{ status: 'ANSWERED' }, { unansweredAt: { not: null } }],
      ...(currentAppointmentAt ? {} : { kind: 'CHECKIN' }),
    },
    select: { id: true, kind: true, answer: true, answeredAt: true, unansweredAt: true, appointmentAt: true },
  });
  // a reminder left unanswered does not count when another reminder of the same appointment was answered
  const confirmed = new Set(
    rows.filter((r) => r.kind === 'APPOINTMENT_REMINDER' && r.answer).map((r) => r.appointmentAt?.getTime()),
  );
  const signals = rows
    .filter((r) => r.kind === 'CHECKIN' || r.appointmentAt?.getTime() === currentAppointmentAt?.getTime())
    .filter((r) => r.kind === 'CHECKIN' || r.answer || !confirmed.has(r.appointmentAt?.getTime()))
    .map(signalOf)
    .filter((s): s is FollowUpSignal => s !== null)
    .sort((a, b) => b.at.getTime() - a.at.getTime());
  return signals[0] ?? null;
}
