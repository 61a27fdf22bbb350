import { z } from 'zod';
import type { ActorType } from '../../generated/prisma/enums.js';
import type { Prisma } from '../../generated/prisma/client.js';
import type { Db } from '../db.js';

/** What an audit reference names: a request (P-1042), a pledge (D-17) or a device (IMEI or serial). */
export interface AuditTarget {
  kind: 'request' | 'pledge' | 'device';
  id: string;
  reference: string;
  /** the association the item belongs to (null: triage request, pledge routed to none, device of no stock) */
  associationId: string | null;
}

/**
 * One action of the audit trail as staff and exports read it: who (a staff member's ids, or
 * only the kind of actor), what (the action code, translated by the reader), on what, when.
 * Never a person's words, number, code or contact id; `details` keeps only codes and counts.
 */
export interface AuditLine {
  id: string;
  at: Date;
  action: string;
  actorType: ActorType;
  /** the staff member who acted (null for people, the system, API tokens) */
  staffId: string | null;
  staffSlackId: string | null;
  entityType: string;
  entityId: string | null;
  associationId: string | null;
  details: AuditDetails;
}

const code = z
  .string()
  .max(60)
  .regex(/^[A-Za-z_]+$/);
/**
 * The few audit data fields that are codes or counts (a close reason, a status, an answer): everything else stays in
 * the database.
 */
const detailsSchema = z.object({
  reason: code.optional().catch(undefined),
  from: code.optional().catch(undefined),
  to: code.optional().catch(undefined),
  answer: code.optional().catch(undefined),
  kind: code.optional().catch(undefined),
  count: z.number().int().optional().catch(undefined),
});
export type AuditDetails = z.infer<typeof detailsSchema>;

const REQUEST_REFERENCE = /^[A-CE-Z]-\d{1,9}$/;
const PLEDGE_REFERENCE = /^D-\d{1,9}$/;

/** Finds what a typed reference names: `P-1042` (any request letter), `D-17` (a pledge), an IMEI or serial number. */
export async function findAuditTarget(db: Db, typed: string): Promise<AuditTarget | null> {
  const reference = typed.trim().toUpperCase();
  if (PLEDGE_REFERENCE.test(reference)) {
    const pledge = await db.pledge.findUnique({ where: { reference }, select: { id: true, associationId: true } });
    return pledge ? { kind: 'pledge', id: pledge.id, reference, associationId: pledge.associationId } : null;
  }
  if (REQUEST_REFERENCE.test(reference)) {
    const request = await db.request.findUnique({ where: { reference }, select: { id: true, associationId: true } });
    return request ? { kind: 'request', id: request.id, reference, associationId: request.associationId } : null;
  }
  const number = typed.replace(/[\s-]/g, '');
  if (!/^[A-Za-z0-9]{4,40}$/.test(number)) return null;
  const device = await db.device.findFirst({
    where: { OR: [{ imei: number }, { serial: number }] },
    select: { id: true, associationId: true, pledge: { select: { associationId: true } } },
  });
  return device
    ? {
        kind: 'device',
        id: device.id,
        reference: typed.trim(),
        associationId: device.associationId ?? device.pledge?.associationId ?? null,
      }
    : null;
}

/**
 * The audit events about one item: its own, and those of other items that name it (a device allocated to a request, an
 * answer to its check-in).
 */
export function targetWhere(target: AuditTarget): Prisma.AuditEventWhereInput {
  const entityType = target.kind === 'request' ? 'Request' : target.kind === 'pledge' ? 'Pledge' : 'Device';
  const namedBy = target.kind === 'request' ? 'requestId' : target.kind === 'pledge' ? 'pledgeId' : 'deviceId';
  return { OR: [{ entityType, entityId: target.id }, { data: { path: [namedBy], equals: target.id } }] };
}

export interface AuditFilter {
  target?: AuditTarget;
  /** null: no association filter; a list: only events of these associations */
  associationIds?: string[] | null;
  staffId?: string;
  /** an exact action (`request.closed`) or a family ending with a dot (`request.`) */
  action?: string;
  from?: Date;
  to?: Date;
}

function whereOf(filter: AuditFilter): Prisma.AuditEventWhereInput {
  const and: Prisma.AuditEventWhereInput[] = [];
  if (filter.target) and.push(targetWhere(filter.target));
  if (filter.associationIds) and.push({ associationId: { in: filter.associationIds } });
  if (filter.staffId) and.push({ actorType: 'STAFF', actorId: filter.staffId });
  if (filter.action)
    and.push(filter.action.endsWith('.') ? { action: { startsWith: filter.action } } : { action: filter.action });
  if (filter.from || filter.to)
    and.push({ at: { ...(filter.from ? { gte: filter.from } : {}), ...(filter.to ? { lt: filter.to } : {}) } });
  return and.length > 0 ? { AND: and } : {};
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

async function toLines(
  db: Db,
  rows: Array<{
    id: string;
    at: Date;
    action: string;
    actorType: ActorType;
    actorId: string | null;
    entityType: string;
    entityId: string | null;
    associationId: string | null;
    data: unknown;
  }>,
): Promise<AuditLine[]> {
  const staffIds = [
    ...new Set(
      rows.filter((r) => r.actorType === 'STAFF' && r.actorId && UUID.test(r.actorId)).map((r) => r.actorId ?? ''),
    ),
  ];
  const staff =
    staffIds.length > 0
      ? await db.staffMember.findMany({ where: { id: { in: staffIds } }, select: { id: true, slackUserId: true } })
      : [];
  const slackOf = new Map(staff.map((s) => [s.id, s.slackUserId]));
  return rows.map((r) => {
    const staffId = r.actorType === 'STAFF' ? r.actorId : null;
    const details = detailsSchema.safeParse(r.data ?? {});
    return {
      id: r.id,
      at: r.at,
      action: r.action,
      actorType: r.actorType,
      staffId,
      staffSlackId: staffId ? (slackOf.get(staffId) ?? null) : null,
      entityType: r.entityType,
      // a person's contact id is a pseudonym, but still theirs: exports do not carry it
      entityId: r.entityType === 'Contact' || r.entityType === 'ChannelIdentity' ? null : r.entityId,
      associationId: r.associationId,
      details: details.success
        ? Object.fromEntries(Object.entries(details.data).filter(([, v]) => v !== undefined))
        : {},
    };
  });
}

const select = {
  id: true,
  at: true,
  action: true,
  actorType: true,
  actorId: true,
  entityType: true,
  entityId: true,
  associationId: true,
  data: true,
} as const;

/** One page of the audit trail, newest first (cursor: the last id of the previous page). */
export async function auditPage(
  db: Db,
  filter: AuditFilter,
  page: { limit: number; cursor?: string | undefined },
): Promise<{ items: AuditLine[]; nextCursor: string | null }> {
  const rows = await db.auditEvent.findMany({
    where: whereOf(filter),
    select,
    orderBy: [{ at: 'desc' }, { id: 'desc' }],
    take: page.limit + 1,
    ...(page.cursor ? { cursor: { id: page.cursor }, skip: 1 } : {}),
  });
  const items = await toLines(db, rows.slice(0, page.limit));
  return { items, nextCursor: rows.length > page.limit ? (items.at(-1)?.id ?? null) : null };
}

/**
 * The audit trail of one item, oldest first (at most `limit` most recent actions) and how many older ones were left
 * out.
 */
export async function auditOfTarget(
  db: Db,
  target: AuditTarget,
  limit = 40,
): Promise<{ lines: AuditLine[]; older: number }> {
  const where = targetWhere(target);
  const [rows, total] = await Promise.all([
    db.auditEvent.findMany({ where, select, orderBy: [{ at: 'desc' }, { id: 'desc' }], take: limit }),
    db.auditEvent.count({ where }),
  ]);
  return { lines: (await toLines(db, rows)).reverse(), older: Math.max(0, total - rows.length) };
}

/** The latest actions of an association, newest first (App Home). */
export async function recentAuditOf(db: Db, associationId: string, take = 20): Promise<AuditLine[]> {
  const rows = await db.auditEvent.findMany({
    where: { associationId },
    select,
    orderBy: [{ at: 'desc' }, { id: 'desc' }],
    take,
  });
  return toLines(db, rows);
}
