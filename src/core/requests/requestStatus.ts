import { InvalidTransition } from '../errors.js';
import type { RequestStatus } from '../../generated/prisma/enums.js';

/** Allowed moves of a request; anything else is a bug or a race and is refused. */
export const REQUEST_TRANSITIONS: Record<RequestStatus, readonly RequestStatus[]> = {
  OPEN: ['CLAIMED', 'ALLOCATED', 'SERVED', 'CLOSED', 'CANCELLED'],
  CLAIMED: ['OPEN', 'ALLOCATED', 'SERVED', 'CLOSED', 'CANCELLED'],
  ALLOCATED: ['CLAIMED', 'SERVED', 'CLOSED', 'CANCELLED'],
  SERVED: ['CLOSED'],
  CLOSED: ['OPEN'],
  CANCELLED: [],
};

export function canTransition(from: RequestStatus, to: RequestStatus): boolean {
  return REQUEST_TRANSITIONS[from].includes(to);
}

export function assertTransition(from: RequestStatus, to: RequestStatus): void {
  if (!canTransition(from, to)) throw new InvalidTransition('request', from, to);
}

/** Statuses in which a request still needs someone's attention. */
export const OPEN_STATUSES: readonly RequestStatus[] = ['OPEN', 'CLAIMED', 'ALLOCATED'];
