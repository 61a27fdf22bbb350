import type { CommandEventData } from '../commands/commandEvents.js';
import { readMyRequests, type MyRequestsExecutor } from './myRequestsSql.js';
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
 * the person themself may see: never staff names or other people. One statement
 * (`myRequestsSql.ts`), so it runs on the inbound fast path too.
 */
export async function listRequestsOf(runner: MyRequestsExecutor, contactId: string, now: Date): Promise<MyRequest[]> {
  const since = new Date(now.getTime() - RECENTLY_FINISHED_DAYS * 86_400_000);
  const rows = await readMyRequests(runner, { contactId, now, since, openStatuses: OPEN_STATUSES, shown: SHOWN });
  return rows.map((r) => {
    const at = r.allocationAt ?? r.reminderAt;
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
          ? { at: at.toISOString(), place: (r.allocationAt ? r.allocationPlace : r.reminderPlace) ?? null }
          : null,
    };
  });
}
