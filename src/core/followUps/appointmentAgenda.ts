import type { Db } from '../db.js';

/** A pick-up appointment still waiting for the person (the device is not handed over yet). */
export interface AgendaLine {
  requestId: string;
  reference: string;
  at: Date;
  place: string | null;
  overdue: boolean;
}

/** Milliseconds a time zone is ahead of UTC at an instant. */
function offsetMs(instant: Date, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(instant);
  const part = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  const local = Date.UTC(part('year'), part('month') - 1, part('day'), part('hour'), part('minute'), part('second'));
  return local - Math.floor(instant.getTime() / 1000) * 1000;
}

/** The instant the day of `now` ends in a time zone (the next local midnight). */
export function endOfLocalDay(now: Date, timeZone: string): Date {
  const local = new Date(now.getTime() + offsetMs(now, timeZone));
  const nextMidnight = Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), local.getUTCDate() + 1);
  return new Date(nextMidnight - offsetMs(new Date(nextMidnight - offsetMs(now, timeZone)), timeZone));
}

/**
 * Today's and overdue appointments of an association (TIME_ZONE's day): devices allocated
 * with an appointment before tonight's midnight and not handed over yet, oldest first.
 */
export async function appointmentAgenda(
  db: Db,
  input: { associationId: string; now: Date; timeZone: string; take?: number },
): Promise<AgendaLine[]> {
  const rows = await db.allocation.findMany({
    where: {
      status: 'ACTIVE',
      appointmentAt: { lt: endOfLocalDay(input.now, input.timeZone) },
      request: { associationId: input.associationId },
    },
    select: { requestId: true, appointmentAt: true, appointmentPlace: true, request: { select: { reference: true } } },
    orderBy: { appointmentAt: 'asc' },
    take: input.take ?? 25,
  });
  return rows.flatMap((r) =>
    r.appointmentAt
      ? [
          {
            requestId: r.requestId,
            reference: r.request.reference,
            at: r.appointmentAt,
            place: r.appointmentPlace,
            overdue: r.appointmentAt < input.now,
          },
        ]
      : [],
  );
}
