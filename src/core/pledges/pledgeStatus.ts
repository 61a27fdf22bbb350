import type { PledgeStatus } from '../../generated/prisma/enums.js';
import { InvalidTransition } from '../errors.js';

/**
 * Life of a pledge: PLEDGED (the donor's promise) → SCHEDULED (pickup date and refurbisher
 * set by staff; skipped for drop-offs and sponsorships) → COLLECTED (received: devices, or
 * the money of a sponsorship) → PROCESSED (devices wiped and refurbished; for a sponsorship:
 * a phone was handed over on its behalf) → CLOSED. A pledge can be cancelled until it is
 * collected. Anything else is refused.
 */
/** A pledge still waiting for its pickup (or its money): it can be scheduled, collected or cancelled. */
export const OPEN_PLEDGE_STATUSES: readonly PledgeStatus[] = ['PLEDGED', 'SCHEDULED'];

export const PLEDGE_TRANSITIONS: Record<PledgeStatus, readonly PledgeStatus[]> = {
  PLEDGED: ['SCHEDULED', 'COLLECTED', 'CANCELLED'],
  SCHEDULED: ['SCHEDULED', 'COLLECTED', 'CANCELLED'],
  COLLECTED: ['PROCESSED'],
  PROCESSED: ['CLOSED'],
  CLOSED: [],
  CANCELLED: [],
};

export function canPledgeTransition(from: PledgeStatus, to: PledgeStatus): boolean {
  return PLEDGE_TRANSITIONS[from].includes(to);
}

export function assertPledgeTransition(from: PledgeStatus, to: PledgeStatus): void {
  if (!canPledgeTransition(from, to)) throw new InvalidTransition('pledge', from, to);
}
