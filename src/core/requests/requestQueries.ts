import { z } from 'zod';
import type { RequestKind, RequestStatus, Urgency } from '../../generated/prisma/enums.js';
import type { Db } from '../db.js';
import { latestFollowUpSignal, type FollowUpSignal } from '../followUps/followUpSignals.js';
import { OFFER_EUROS, OPERATOR_BRANDS, OPERATORS, RECHARGE_OFFERS, type RechargeOffer } from './requestDetails.js';
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
  /**
   * What the person asked for a recharge, when the flow recorded it: the operator as people
   * read it (its brand, or the name they typed; `otherOperator` when they chose "another one"
   * without a name), the offer they chose and its amount in euros (credit offers).
   */
  wanted: { operator?: string; otherOperator?: true; offer?: RechargeOffer; amount?: string };
  allocation: {
    model: string;
    grade: string | null;
    tail: string;
    appointmentAt: Date | null;
    place: string | null;
    status: string;
  } | null;
  recharge: { operator: string; amountCents: number | null; voucher: 'delivering' | 'sent' | 'not_delivered' } | null;
  /** when a new account was last linked to the person with a reconnection code */
  accountLinkedAt: Date | null;
  /** the person's latest answer to a check-in or reminder, or a silence past its deadline */
  followUp: FollowUpSignal | null;
}

const wantedSchema = z.object({
  operator: z.string().max(40).optional().catch(undefined),
  operatorOther: z.string().max(40).optional().catch(undefined),
  offer: z.enum(RECHARGE_OFFERS).optional().catch(undefined),
  amount: z
    .union([z.number(), z.string().max(20)])
    .optional()
    .catch(undefined),
});

const isOperatorId = (value: string): value is (typeof OPERATORS)[number] =>
  (OPERATORS as readonly string[]).includes(value);

/** Request.details of a recharge as staff read it: labels, never the flow's ids. */
function readWanted(details: unknown): RequestView['wanted'] {
  const parsed = wantedSchema.safeParse(details);
  if (!parsed.success) return {};
  const { operator, operatorOther, offer, amount } = parsed.data;
  const brand = operator && isOperatorId(operator) ? OPERATOR_BRANDS[operator] : operator;
  const named = brand ?? operatorOther;
  const euros = amount ?? (offer ? OFFER_EUROS[offer] : undefined);
  return {
    ...(named ? { operator: named } : operator === 'other' ? { otherOperator: true as const } : {}),
    ...(offer ? { offer } : {}),
    ...(euros !== undefined ? { amount: String(euros) } : {}),
  };
}

/** Loads a request as staff see it on a card. */
export async function requestView(db: Db, requestId: string): Promise<RequestView | null> {
  const r = await db.request.findUnique({
    where: { id: requestId },
    include: {
      association: { select: { name: true } },
      assignee: { select: { slackUserId: true } },
      contact: { select: { accountLinkedAt: true } },
      allocations: {
        where: { status: { in: ['ACTIVE', 'HANDED_OVER'] } },
        include: { device: { select: { model: true, grade: true, imei: true, serial: true } } },
        take: 1,
      },
      recharge: { select: { operator: true, amountCents: true, voucherCipher: true, sentAt: true } },
    },
  });
  if (!r) return null;
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
    wanted: readWanted(r.details),
    allocation: a
      ? {
          model: a.device.model,
          grade: a.device.grade,
          tail: (a.device.imei ?? a.device.serial ?? '').slice(-4),
          appointmentAt: a.appointmentAt,
          place: a.appointmentPlace,
          status: a.status,
        }
      : null,
    recharge: r.recharge
      ? {
          operator: r.recharge.operator,
          amountCents: r.recharge.amountCents,
          voucher: r.recharge.voucherCipher ? 'delivering' : r.recharge.sentAt ? 'sent' : 'not_delivered',
        }
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
export async function listOpenRequests(
  db: Db,
  filter: { associationId?: string; assigneeId?: string; take?: number },
): Promise<RequestLine[]> {
  const rows = await db.request.findMany({
    where: {
      status: { in: [...OPEN_STATUSES] },
      ...(filter.associationId ? { associationId: filter.associationId } : {}),
      ...(filter.assigneeId ? { assigneeId: filter.assigneeId } : {}),
    },
    select: {
      id: true,
      reference: true,
      kind: true,
      status: true,
      urgency: true,
      createdAt: true,
      assignee: { select: { slackUserId: true } },
    },
    orderBy: [{ urgency: 'desc' }, { createdAt: 'asc' }],
    take: filter.take ?? 20,
  });
  return rows.map((r) => ({
    id: r.id,
    reference: r.reference,
    kind: r.kind,
    status: r.status,
    urgency: r.urgency,
    createdAt: r.createdAt,
    assigneeSlackId: r.assignee?.slackUserId ?? null,
  }));
}

/** A request by its short reference (`p-1042` or `P-1042`), or null. */
export async function findRequestByReference(
  db: Db,
  reference: string,
): Promise<{ id: string; associationId: string | null; contactId: string | null; reference: string } | null> {
  const normalized = reference.trim().toUpperCase();
  if (!/^[A-Z]-\d{1,9}$/.test(normalized)) return null;
  return db.request.findUnique({
    where: { reference: normalized },
    select: { id: true, associationId: true, contactId: true, reference: true },
  });
}

/** What a staff action checks before it opens a modal or relays a message: kind, status, owner, card position. */
export interface RequestHeader {
  id: string;
  reference: string;
  kind: RequestKind;
  status: RequestStatus;
  associationId: string | null;
  slackChannelId: string | null;
  slackTs: string | null;
  createdAt: Date;
}

const headerSelect = {
  id: true,
  reference: true,
  kind: true,
  status: true,
  associationId: true,
  slackChannelId: true,
  slackTs: true,
  createdAt: true,
} as const;

/** A request's header, or null when it does not exist. */
export async function requestHeader(db: Db, requestId: string): Promise<RequestHeader | null> {
  return db.request.findUnique({ where: { id: requestId }, select: headerSelect });
}

/** The request whose card is the Slack message `ts` in `channel` (a reply in its thread), or null. */
export async function requestOfCard(db: Db, channel: string, ts: string): Promise<RequestHeader | null> {
  return db.request.findFirst({ where: { slackChannelId: channel, slackTs: ts }, select: headerSelect });
}
