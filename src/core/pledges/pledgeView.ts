import type { DonorKind, PledgeKind, PledgeStatus } from '../../generated/prisma/enums.js';
import type { Db } from '../db.js';
import { readPledgeItems, type PledgeItems } from './pledgeDraft.js';

/** What staff see of a pledge in Slack: never the donor's name, phone, email or address. */
export interface PledgeView {
  id: string;
  reference: string;
  kind: PledgeKind;
  donorKind: DonorKind;
  status: PledgeStatus;
  items: PledgeItems;
  fleetAge: string | null;
  condition: string | null;
  postcode: string | null;
  pickupWindow: string | null;
  certificateRequired: boolean;
  volumeM3: number | null;
  sponsorAmountCents: number | null;
  scheduledAt: Date | null;
  refurbisher: string | null;
  slackChannelId: string | null;
  slackTs: string | null;
  updatedAt: Date;
}

/** A pledge as shown to staff (donorDetails is deliberately not selected), or null if it is gone. */
export async function pledgeView(db: Db, pledgeId: string): Promise<PledgeView | null> {
  const p = await db.pledge.findUnique({
    where: { id: pledgeId },
    select: {
      id: true,
      reference: true,
      kind: true,
      donorKind: true,
      status: true,
      items: true,
      fleetAge: true,
      condition: true,
      postcode: true,
      pickupWindow: true,
      certificateRequired: true,
      volumeM3: true,
      sponsorAmountCents: true,
      scheduledAt: true,
      refurbisher: true,
      slackChannelId: true,
      slackTs: true,
      updatedAt: true,
    },
  });
  return p ? { ...p, items: readPledgeItems(p.items) } : null;
}
