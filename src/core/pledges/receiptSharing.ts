import { recordAudit } from '../audit/auditTrail.js';
import type { Db } from '../db.js';
import { claimOnce } from '../idempotency/claimOnce.js';
import type { PledgeKind, PledgeStatus } from '../../generated/prisma/enums.js';
import type { StaffActor } from '../staff/staffAccess.js';

/** What sharing a pledge's receipt in Slack checks: who may see it, whether it exists yet, where its card is. */
export interface ReceiptSharingView {
  id: string;
  reference: string;
  kind: PledgeKind;
  status: PledgeStatus;
  associationId: string | null;
  slackChannelId: string | null;
  slackTs: string | null;
  /** the channel of the association the pledge is routed to */
  associationChannelId: string | null;
}

/** Two clicks on the button within this window share the receipt once. */
const DOUBLE_CLICK_MS = 30_000;

/** A pledge as the receipt button reads it, or null when it does not exist. */
export async function receiptSharingView(db: Db, pledgeId: string): Promise<ReceiptSharingView | null> {
  const p = await db.pledge.findUnique({
    where: { id: pledgeId },
    select: {
      id: true,
      reference: true,
      kind: true,
      status: true,
      associationId: true,
      slackChannelId: true,
      slackTs: true,
      association: { select: { slackChannelId: true } },
    },
  });
  if (!p) return null;
  const { association, ...rest } = p;
  return { ...rest, associationChannelId: association?.slackChannelId ?? null };
}

/**
 * Takes the right to share a pledge's receipt for the current half-minute (a double click
 * shares once): the key to give back if the upload fails, or null when it was just shared.
 */
export async function holdReceiptShare(db: Db, pledgeId: string, now = Date.now()): Promise<string | null> {
  const key = `receipt-share:${pledgeId}:${Math.floor(now / DOUBLE_CLICK_MS)}`;
  return (await db.$transaction((tx) => claimOnce(tx, key))) ? key : null;
}

/** Gives back a hold whose upload failed, so the next click tries again. */
export async function releaseReceiptShare(db: Db, key: string): Promise<void> {
  await db.processedEvent.deleteMany({ where: { key } }).catch(() => undefined);
}

/** Audits a shared receipt as `pledge.receipt_shared`: the channel and file id, no personal data. */
export async function recordReceiptShared(
  db: Db,
  staff: StaffActor,
  pledge: Pick<ReceiptSharingView, 'id' | 'associationId'>,
  where: { channelId: string; inThread: boolean; fileId: string | null },
): Promise<void> {
  await db.$transaction((tx) =>
    recordAudit(tx, {
      actorType: 'STAFF',
      actorId: staff.id,
      action: 'pledge.receipt_shared',
      entityType: 'Pledge',
      entityId: pledge.id,
      associationId: pledge.associationId,
      data: where,
    }),
  );
}
