import type { PledgeStatus } from '../../generated/prisma/enums.js';
import { recordAudit } from '../audit/auditTrail.js';
import type { Tx } from '../db.js';
import { InvalidTransition, NotFound } from '../errors.js';
import { enqueueTask } from '../queue/enqueueTask.js';
import { pledgeDraftSchema, type PledgeDraft } from './pledgeDraft.js';
import { drawPledgeNumber } from './pledgeSql.js';
import { assertPledgeTransition } from './pledgeStatus.js';

/** Tasks the pledge lifecycle emits: the Slack app posts/updates the pledge card; the core tells the donor. */
export const PLEDGE_TASKS = {
  created: 'pledge.created',
  changed: 'pledge.changed',
  donorUpdate: 'pledge.donorUpdate',
} as const;

/** Milestones a donor is told about (keys `donor:update_<milestone>`). */
export const DONOR_MILESTONES = [
  'scheduled',
  'collected',
  'processed',
  'handed_over',
  'closed',
  'sponsorship_received',
  'sponsorship_fulfilled',
] as const;
export type DonorMilestone = (typeof DONOR_MILESTONES)[number];

export type PledgeActor = { type: 'STAFF' | 'CONTACT' | 'SYSTEM' | 'API'; id: string | null };

/**
 * Records a donor's pledge with a short reference (`D-1042`), audits it and queues the
 * "new pledge" notification for staff, in the caller's transaction. The donor's contact
 * details go to `donorDetails` only (erased after DONOR_RETENTION_DAYS from closing).
 */
export async function createPledge(tx: Tx, input: { contactId: string | null; draft: PledgeDraft }) {
  const draft = pledgeDraftSchema.parse(input.draft);
  const number = await drawPledgeNumber(tx);
  const pledge = await tx.pledge.create({
    data: {
      number,
      reference: `D-${number + 1000}`,
      kind: draft.kind,
      donorKind: draft.donorKind,
      contactId: input.contactId,
      items: draft.items,
      fleetAge: draft.fleetAge ?? null,
      condition: draft.condition ?? null,
      postcode: draft.postcode ?? null,
      pickupWindow: draft.pickupWindow ?? null,
      ...(draft.donor ? { donorDetails: draft.donor } : {}),
      certificateRequired: draft.certificateRequired,
      volumeM3: draft.volumeM3 ?? null,
      sponsorAmountCents: draft.sponsorAmountCents ?? null,
    },
  });
  await recordAudit(tx, {
    actorType: input.contactId ? 'CONTACT' : 'SYSTEM',
    actorId: input.contactId,
    action: 'pledge.created',
    entityType: 'Pledge',
    entityId: pledge.id,
    data: { kind: pledge.kind, donorKind: pledge.donorKind, devices: draft.items.reduce((s, i) => s + i.quantity, 0) },
  });
  const taskId = await enqueueTask(tx, PLEDGE_TASKS.created, { pledgeId: pledge.id });
  return { pledge, taskId };
}

export interface PledgeStatusChange {
  to: PledgeStatus;
  actor: PledgeActor;
  /** refuse unless the pledge is currently in one of these */
  expectFrom?: readonly PledgeStatus[];
  scheduledAt?: Date;
  refurbisher?: string;
  associationId?: string | null;
  /** extra audit data (ids and counts only) */
  audit?: Record<string, string | number | null>;
}

const MILESTONE_OF: Partial<Record<PledgeStatus, DonorMilestone>> = {
  SCHEDULED: 'scheduled',
  COLLECTED: 'collected',
  PROCESSED: 'processed',
  CLOSED: 'closed',
};
const SPONSORSHIP_MILESTONE_OF: Partial<Record<PledgeStatus, DonorMilestone>> = {
  COLLECTED: 'sponsorship_received',
  PROCESSED: 'sponsorship_fulfilled',
};

/**
 * Moves a pledge along its state machine (pledgeStatus.ts) with a conditional update, so two
 * staff members acting at once cannot both succeed; audits `pledge.<status>`, queues the card
 * update and the donor's milestone message. Returns the outbox task ids.
 */
export async function changePledgeStatus(
  tx: Tx,
  pledgeId: string,
  change: PledgeStatusChange,
): Promise<{ jobIds: string[] }> {
  const current = await tx.pledge.findUnique({
    where: { id: pledgeId },
    select: { status: true, kind: true, associationId: true },
  });
  if (!current) throw new NotFound('pledge');
  if (change.expectFrom && !change.expectFrom.includes(current.status))
    throw new InvalidTransition('pledge', current.status, change.to);
  assertPledgeTransition(current.status, change.to);
  const now = new Date();
  const updated = await tx.pledge.updateMany({
    where: { id: pledgeId, status: current.status },
    data: {
      status: change.to,
      ...(change.scheduledAt ? { scheduledAt: change.scheduledAt } : {}),
      ...(change.refurbisher !== undefined ? { refurbisher: change.refurbisher } : {}),
      ...(change.associationId !== undefined ? { associationId: change.associationId } : {}),
      ...(change.to === 'COLLECTED' ? { collectedAt: now } : {}),
      ...(change.to === 'CLOSED' || change.to === 'CANCELLED' ? { closedAt: now } : {}),
    },
  });
  if (updated.count !== 1) throw new InvalidTransition('pledge', 'changed meanwhile', change.to);
  await recordAudit(tx, {
    actorType: change.actor.type,
    actorId: change.actor.id,
    action: `pledge.${change.to.toLowerCase()}`,
    entityType: 'Pledge',
    entityId: pledgeId,
    associationId: change.associationId ?? current.associationId,
    data: {
      from: current.status,
      ...(change.scheduledAt ? { scheduledAt: change.scheduledAt.toISOString() } : {}),
      ...(change.refurbisher ? { refurbisher: change.refurbisher } : {}),
      ...change.audit,
    },
  });
  const jobIds = [await enqueueTask(tx, PLEDGE_TASKS.changed, { pledgeId })];
  const milestone = (current.kind === 'SPONSORSHIP' ? SPONSORSHIP_MILESTONE_OF : MILESTONE_OF)[change.to];
  if (milestone) jobIds.push(await queueDonorUpdate(tx, pledgeId, milestone));
  return { jobIds };
}

/** Queues the donor's message for one milestone (sent by the core task, at most once per milestone). */
export async function queueDonorUpdate(
  tx: Tx,
  pledgeId: string,
  milestone: DonorMilestone,
  count?: number,
): Promise<string> {
  return enqueueTask(tx, PLEDGE_TASKS.donorUpdate, { pledgeId, milestone, ...(count !== undefined ? { count } : {}) });
}
