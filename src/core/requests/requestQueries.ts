import { z } from 'zod';
import type { RequestKind, RequestStatus, Urgency } from '../../generated/prisma/enums.js';
import type { Db } from '../db.js';
import { latestFollowUpSignal, type FollowUpSignal } from '../followUps/followUpSignals.js';
import { OPEN_STATUSES } from './requestStatus.js';

/** Everything a staff card shows about a request. Never a phone number, platform id or message. */
export interface RequestView {
  id: string;
  reference: string;
  kind: RequestKind;
  status: RequestStatus;
  urgency: Urgency;
  language: string | null;
  flaggedReason: string | null;
  closeReason: string | null;
  createdAt: Date;
  updatedAt: Date;
  associationId: string | null;
  associationName: string | null;
  slackChannelId: string | null;
  slackTs: string | null;
  assigneeSlackId: string | null;
  /** what the person asked for a recharge (operator, amount), when the flow recorded it */
  wanted: { operator?: string; amount?: string };
  allocation: { model: string; grade: string | null; tail: string; appointmentAt: Date | null; place: string | null; status: string } | null;
  recharge: { operator: string; amountCents: number | null; voucher: 'delivering' | 'sent' | 'not_delivered' } | null;
  /** when a new account was last linked to the person with a reconnection code */
  accountLinkedAt: Date | null;
  /** the person's latest answer to a check-in or reminder, or a silence past its deadline */
  followUp: FollowUpSignal | null;
}

const wantedSchema = z.object({
  operator: z.string().max(40).optional().catch(undefined),
  amount: z.union([z.number(), z.string().max(20)]).optional().catch(undefined),
});

/** Loads a request as staff see it on a card. */
export async function requestView(db: Db, requestId: string): Promise<RequestView | null> {
  const r = await db.request.findUnique({
    where: { id: requestId },
    include: {
      association: { select: { name: true } },
      assignee: { select: { slackUserId: true } },
      contact: { select: { accountLinkedAt: true } },
      allocations: { where: { status: { in: ['ACTIVE', 'HANDED_OVER'] } }, include: { device: { select: { model: true, grade: true, imei: true, serial: true } } }, take: 1 },
      recharge: { select: { operator: true, amountCents: true, voucherCipher: true, sentAt: true } },
    },
  });
  if (!r) return null;
  const wanted = wantedSchema.safeParse(r.details);
  const a = r.allocations[0];
  const followUp = await latestFollowUpSignal(db, r.id, a?.status === 'ACTIVE' ? a.appointmentAt : null);
  return {
    id: r.id,
    reference: r.reference,
    kind: r.kind,
    status: r.status,
    urgency: r.urgency,
    language: r.language,
    flaggedReason: r.flaggedReason,
    closeReason: r.closeReason,
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
    associationId: r.associationId,
    associationName: r.association?.name ?? null,
    slackChannelId: r.slackChannelId,
    slackTs: r.slackTs,
    assigneeSlackId: r.assignee?.slackUserId ?? null,
    wanted: wanted.success ? { ...(wanted.data.operator ? { operator: wanted.data.operator } : {}), ...(wanted.data.amount !== undefined ? { amount: String(wanted.data.amount) } : {}) } : {},
    allocation: a ? { model: a.device.model, grade: a.device.grade, tail: (a.device.imei ?? a.device.serial ?? '').slice(-4), appointmentAt: a.appointmentAt, place: a.appointmentPlace, status: a.status } : null,
    recharge: r.recharge
      ? { operator: r.recharge.operator, amountCents: r.recharge.amountCents, voucher: r.recharge.voucherCipher ? 'delivering' : r.recharge.sentAt ? 'sent' : 'not_delivered' }
      : null,
    accountLinkedAt: r.contact?.accountLinkedAt ?? null,
    followUp,
  };
}

export interface RequestLine {
  id: string;
  reference: string;
  kind: RequestKind;
  status: RequestStatus;
  urgency: Urgency;
  createdAt: Date;
  assigneeSlackId: string | null;
}

/** Open requests of an association (or those assigned to one staff member), most urgent and oldest first. */
export async function listOpenRequests(db: Db, filter: { associationId?: string; assigneeId?: string; take?: number }): Promise<RequestLine[]> {
  const rows = await db.request.findMany({
    where: { status: { in: [...OPEN_STATUSES] }, ...(filter.associationId ? { associationId: filter.associationId } : {}), ...(filter.assigneeId ? { assigneeId: filter.assigneeId } : {}) },
    select: { id: true, reference: true, kind: true, status: true, urgency: true, createdAt: true, assignee: { select: { slackUserId: true } } },
    orderBy: [{ urgency: 'desc' }, { createdAt: 'asc' }],
    take: filter.take ?? 20,
  });
  return rows.map((r) => ({ id: r.id, reference: r.reference, kind: r.kind, status: r.status, urgency: r.urgency, createdAt: r.createdAt, assigneeSlackId: r.assignee?.slackUserId ?? null }));
}

/** A request by its short reference (`p-1042` or `P-1042`), or null. */
export async function findRequestByReference(db: Db, reference: string): Promise<{ id: string; associationId: string | null; contactId: string | null; reference: string } | null> {
  const normalized = reference.trim().toUpperCase();
  if (!/^[A-Z]-\d{1,9}$/.test(normalized)) return null;
  return db.request.findUnique({ where: { reference: normalized }, select: { id: true, associationId: true, contactId: true, reference: true } });
}
