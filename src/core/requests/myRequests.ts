import type { Tx } from '../db.js';
import type { CommandEventData } from '../commands/commandEvents.js';
import { OPEN_STATUSES } from './requestStatus.js';

/** Statuses a person may cancel themself; once a phone is reserved, a volunteer must be told. */
export const CANCELLABLE = ['OPEN', 'CLAIMED'] as const;
/** Finished requests stay visible this long, so "where is my request?" has an answer. */
const RECENTLY_FINISHED_DAYS = 14;
const SHOWN = 10;

type MyRequest = CommandEventData<'myRequests'>['requests'][number];

/**
 * A person's open requests and those finished recently, newest first, with the next
 * appointment (from the reserved phone's allocation, or a scheduled reminder). Only what
 * the person themself may see: never staff names or other people.
 */
export async function listRequestsOf(tx: Tx, contactId: string, now: Date): Promise<MyRequest[]> {
  const since = new Date(now.getTime() - RECENTLY_FINISHED_DAYS * 86_400_000);
  const rows = await tx.request.findMany({
    where: { contactId, OR: [{ status: { in: [...OPEN_STATUSES] } }, { updatedAt: { gte: since } }] },
    orderBy: { createdAt: 'desc' },
    take: SHOWN,
    select: {
      id: true,
      reference: true,
      kind: true,
      status: true,
      createdAt: true,
      allocations: {
        where: { status: 'ACTIVE', appointmentAt: { gte: now } },
        select: { appointmentAt: true, appointmentPlace: true },
        take: 1,
      },
      followUps: {
        where: { kind: 'APPOINTMENT_REMINDER', status: { in: ['SCHEDULED', 'SENT'] }, appointmentAt: { gte: now } },
        orderBy: { appointmentAt: 'asc' },
        select: { appointmentAt: true, appointmentPlace: true },
        take: 1,
      },
    },
  });
  return rows.map((r) => {
    const allocation = r.allocations[0];
    const reminder = r.followUps[0];
    const at = allocation?.appointmentAt ?? reminder?.appointmentAt ?? null;
    const open = OPEN_STATUSES.includes(r.status);
    return {
      id: r.id,
      reference: r.reference,
      kind: r.kind,
      status: r.status,
      createdAt: r.createdAt.toISOString(),
      cancellable: CANCELLABLE.some((s) => s === r.status),
      appointment:
        open && at
          ? {
              at: at.toISOString(),
              place: (allocation?.appointmentAt ? allocation.appointmentPlace : reminder?.appointmentPlace) ?? null,
            }
          : null,
    };
  });
}
