import type { InputJsonValue } from '../../generated/prisma/internal/prismaNamespace.js';
import type { RequestKind, RequestStatus, Urgency } from '../../generated/prisma/enums.js';
import { randomUUID } from 'node:crypto';
import { auditStatement } from '../audit/auditSql.js';
import { recordAudit } from '../audit/auditTrail.js';
import type { Statement } from '../db/sql.js';
import type { Tx } from '../db.js';
import { InvalidTransition, NotFound } from '../errors.js';
import { enqueueTask, taskStatement } from '../queue/enqueueTask.js';
import { assertTransition } from './requestStatus.js';
import { deferWrites, drawRequestNumber, insertRequestStatement, type RequestSqlExecutor } from './requestSql.js';

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

/** What createRequest returns about the new request. */
export interface CreatedRequest {
  id: string;
  number: number;
  reference: string;
  kind: RequestKind;
  associationId: string | null;
  flaggedReason: string | null;
}

/** Draws the next request number (callers on the hot path draw it with a read they make anyway). */
export async function nextRequestNumber(executor: RequestSqlExecutor): Promise<number> {
  return drawRequestNumber(executor);
}

/**
 * Creates a request with a short human reference (`P-1042`: kind letter + its number + 1000;
 * numbers come from the `Request.number` sequence, so a reference never repeats), writes the audit
 * event and queues the "new request" notification, all in the caller's transaction. Nothing is
 * read back, so on the inbound fast path every write goes with the turn's last trip. `more` are
 * statements to send with them (`id`, if given, is the new request's id, for them to refer to).
 * Returns the request and the outbox task id.
 */
export async function createRequest(
  executor: RequestSqlExecutor,
  input: NewRequest & { id?: string; number?: number },
  more: Statement[] = [],
): Promise<{ request: CreatedRequest; taskId: string }> {
  const id = input.id ?? randomUUID();
  const number = input.number ?? (await nextRequestNumber(executor));
  const associationId = input.associationId ?? null;
  const flaggedReason = input.flaggedReason ?? null;
  const reference = `${REFERENCE_PREFIX[input.kind]}-${number + 1000}`;
  const task = taskStatement(REQUEST_TASKS.created, { requestId: id });
  const statements = [
    insertRequestStatement({
      id,
      number,
      reference,
      kind: input.kind,
      contactId: input.contactId,
      associationId,
      urgency: input.urgency ?? 'NORMAL',
      language: input.language ?? null,
      details: input.details,
      flaggedReason,
    }),
    auditStatement({
      actorType: 'CONTACT',
      actorId: input.contactId,
      action: 'request.created',
      entityType: 'Request',
      entityId: id,
      associationId,
      data: { kind: input.kind, flagged: Boolean(flaggedReason) },
    }),
    task.statement,
    ...more,
  ];
  await deferWrites(executor, statements);
  return { request: { id, number, reference, kind: input.kind, associationId, flaggedReason }, taskId: task.id };
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
  const current = await tx.request.findUnique({
    where: { id: requestId },
    select: { status: true, associationId: true },
  });
  if (!current) throw new NotFound('request');
  if (change.expectFrom && !change.expectFrom.includes(current.status))
    throw new InvalidTransition('request', current.status, change.to);
  assertTransition(current.status, change.to);
  const now = new Date();
  const updated = await tx.request.updateMany({
    where: { id: requestId, status: current.status },
    data: {
      status: change.to,
      ...(change.assigneeId !== undefined ? { assigneeId: change.assigneeId } : {}),
      ...(change.to === 'SERVED' ? { servedAt: now } : {}),
      ...(change.to === 'CLOSED' || change.to === 'CANCELLED'
        ? { closedAt: now, closeReason: change.reason ?? null }
        : {}),
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
