import type { InputJsonValue } from '../../generated/prisma/internal/prismaNamespace.js';
import type { RequestKind, RequestStatus, Urgency } from '../../generated/prisma/enums.js';
import { recordAudit } from '../audit/auditTrail.js';
import type { Tx } from '../db.js';
import { InvalidTransition, NotFound } from '../errors.js';
import { enqueueTask } from '../queue/enqueueTask.js';
import { assertTransition } from './requestStatus.js';

export const REFERENCE_PREFIX: Record<RequestKind, string> = { PHONE: 'P', RECHARGE: 'R', HELP: 'H', CONTACT: 'C' };

/** Task names the request lifecycle emits; the Slack app (and others) implement them. */
export const REQUEST_TASKS = {
  created: 'request.created',
  changed: 'request.changed',
} as const;

export interface NewRequest {
  kind: RequestKind;
  contactId: string | null;
  associationId?: string | null;
  urgency?: Urgency;
  language?: string | null;
  details: Record<string, InputJsonValue | null>;
  flaggedReason?: string | null;
}

/**
 * Creates a request with a short human reference (`P-1042`: kind letter + a number that
 * never repeats), writes the audit event and queues the "new request" notification, all in
 * the caller's transaction. Returns the request and the outbox task id.
 */
export async function createRequest(tx: Tx, input: NewRequest) {
  const [{ next } = { next: 0n }] = await tx.$queryRaw<Array<{ next: bigint }>>`SELECT nextval(pg_get_serial_sequence('"Request"', 'number')) AS next`;
  const number = Number(next);
  const request = await tx.request.create({
    data: {
      number,
      reference: `${REFERENCE_PREFIX[input.kind]}-${number + 1000}`,
      kind: input.kind,
      contactId: input.contactId,
      associationId: input.associationId ?? null,
      urgency: input.urgency ?? 'NORMAL',
      language: input.language ?? null,
      details: input.details,
      flaggedReason: input.flaggedReason ?? null,
    },
  });
  await recordAudit(tx, { actorType: 'CONTACT', actorId: input.contactId, action: 'request.created', entityType: 'Request', entityId: request.id, associationId: request.associationId, data: { kind: request.kind, flagged: Boolean(request.flaggedReason) } });
  const taskId = await enqueueTask(tx, REQUEST_TASKS.created, { requestId: request.id });
  return { request, taskId };
}

export interface StatusChange {
  to: RequestStatus;
  actor: { type: 'STAFF' | 'CONTACT' | 'SYSTEM' | 'API'; id: string | null };
  reason?: string;
  assigneeId?: string | null;
  /** refuse unless the request is currently in one of these (optimistic concurrency) */
  expectFrom?: readonly RequestStatus[];
}

/**
 * Moves a request along its state machine with a conditional update, so two volunteers
 * acting at once cannot both succeed; audits and queues the "changed" notification.
 */
export async function changeRequestStatus(tx: Tx, requestId: string, change: StatusChange) {
  const current = await tx.request.findUnique({ where: { id: requestId }, select: { status: true, associationId: true } });
  if (!current) throw new NotFound('request');
  if (change.expectFrom && !change.expectFrom.includes(current.status)) throw new InvalidTransition('request', current.status, change.to);
  assertTransition(current.status, change.to);
  const now = new Date();
  const updated = await tx.request.updateMany({
    where: { id: requestId, status: current.status },
    data: {
      status: change.to,
      ...(change.assigneeId !== undefined ? { assigneeId: change.assigneeId } : {}),
      ...(change.to === 'SERVED' ? { servedAt: now } : {}),
      ...(change.to === 'CLOSED' || change.to === 'CANCELLED' ? { closedAt: now, closeReason: change.reason ?? null } : {}),
      ...(change.to === 'OPEN' ? { closedAt: null, closeReason: null } : {}),
    },
  });
  if (updated.count !== 1) throw new InvalidTransition('request', current.status, change.to);
  await recordAudit(tx, {
    actorType: change.actor.type,
    actorId: change.actor.id,
    action: `request.${change.to.toLowerCase()}`,
    entityType: 'Request',
    entityId: requestId,
    associationId: current.associationId,
    data: { from: current.status, to: change.to, ...(change.reason ? { reason: change.reason } : {}) },
  });
  const taskId = await enqueueTask(tx, REQUEST_TASKS.changed, { requestId });
  return { from: current.status, to: change.to, taskId };
}
