import { recordAudit } from '../audit/auditTrail.js';
import type { Tx } from '../db.js';
import { InvalidTransition, NotFound, RequestAlreadyClaimed } from '../errors.js';
import { enqueueTask } from '../queue/enqueueTask.js';
import { cancelAllocation } from '../devices/handOverDevice.js';
import { assertCanActOnRequest, assertCanTransferFrom, type StaffActor } from '../staff/staffAccess.js';
import type { I18n } from '../i18n/i18n.js';
import type { DispatchableMessage } from '../outbound/outboxDispatcher.js';
import { queueClosingMessage } from './closingMessage.js';
import { changeRequestStatus } from './requestService.js';

/**
 * Why a volunteer closes a request (codes, so no free text about a person is stored). The
 * person is told, except for a duplicate or spam (closingMessage.ts); `withdrawn` reads
 * "no longer needed", `cannot_help` and `not_eligible` say where to turn instead.
 */
export const CLOSE_REASONS = [
  'served',
  'served_elsewhere',
  'withdrawn',
  'cannot_help',
  'not_eligible',
  'unreachable',
  'duplicate',
  'spam',
  'other',
] as const;
export type CloseReason = (typeof CLOSE_REASONS)[number];

/** Task a channel implements when a request moves to another association (move its card). */
export const REQUEST_TRANSFERRED_TASK = 'request.transferred';

async function loadRequest(tx: Tx, requestId: string, staff: StaffActor) {
  const request = await tx.request.findUnique({
    where: { id: requestId },
    select: {
      id: true,
      reference: true,
      status: true,
      associationId: true,
      contactId: true,
      assigneeId: true,
      slackChannelId: true,
      slackTs: true,
    },
  });
  if (!request) throw new NotFound('request');
  assertCanActOnRequest(staff, request);
  return request;
}

/**
 * A volunteer takes a request. Only an OPEN request can be claimed: of two volunteers
 * clicking at once, one wins and the other is told it is taken. A triage request becomes
 * the claiming volunteer's association's request.
 */
export async function claimRequest(
  tx: Tx,
  input: { requestId: string; staff: StaffActor },
): Promise<{ jobIds: string[] }> {
  const request = await loadRequest(tx, input.requestId, input.staff);
  if (request.status !== 'OPEN') throw new RequestAlreadyClaimed();
  const change = await changeRequestStatus(tx, request.id, {
    to: 'CLAIMED',
    actor: { type: 'STAFF', id: input.staff.id },
    assigneeId: input.staff.id,
    expectFrom: ['OPEN'],
  }).catch((error: unknown) => {
    // the conditional update lost against a concurrent claim
    throw error instanceof InvalidTransition ? new RequestAlreadyClaimed() : error;
  });
  if (!request.associationId)
    await tx.request.update({ where: { id: request.id }, data: { associationId: input.staff.associationId } });
  return { jobIds: [change.taskId] };
}

/** The assignee (or a coordinator) gives a claimed request back to the pool. */
export async function releaseRequest(
  tx: Tx,
  input: { requestId: string; staff: StaffActor },
): Promise<{ jobIds: string[] }> {
  const request = await loadRequest(tx, input.requestId, input.staff);
  if (request.assigneeId !== input.staff.id && input.staff.role === 'VOLUNTEER') throw new RequestAlreadyClaimed();
  const change = await changeRequestStatus(tx, request.id, {
    to: 'OPEN',
    actor: { type: 'STAFF', id: input.staff.id },
    assigneeId: null,
    expectFrom: ['CLAIMED'],
  });
  return { jobIds: [change.taskId] };
}

/**
 * Closes a request with a reason code; an allocated device goes back to stock first. The
 * person is told in their language when the reason is one they should know.
 */
export async function closeRequest(
  tx: Tx,
  i18n: I18n,
  input: { requestId: string; staff: StaffActor; reason: CloseReason },
): Promise<{ jobIds: string[]; messages: DispatchableMessage[] }> {
  const request = await loadRequest(tx, input.requestId, input.staff);
  const jobIds: string[] = [];
  if (request.status === 'ALLOCATED')
    jobIds.push(...(await cancelAllocation(tx, { requestId: request.id, staff: input.staff, closing: true })).jobIds);
  const change = await changeRequestStatus(tx, request.id, {
    to: 'CLOSED',
    actor: { type: 'STAFF', id: input.staff.id },
    reason: input.reason,
    expectFrom: ['OPEN', 'CLAIMED', 'ALLOCATED'],
  });
  const told = await queueClosingMessage(tx, i18n, {
    requestId: request.id,
    contactId: request.contactId,
    reference: request.reference,
    reason: input.reason,
  });
  return { jobIds: [...jobIds, change.taskId], messages: told ? [told] : [] };
}

/**
 * A coordinator moves a request (not yet allocated) to another association: it becomes OPEN
 * and unassigned there, and its card moves to the other association's channel.
 */
export async function transferRequest(
  tx: Tx,
  input: { requestId: string; toAssociationId: string; staff: StaffActor },
): Promise<{ jobIds: string[] }> {
  const request = await loadRequest(tx, input.requestId, input.staff);
  assertCanTransferFrom(input.staff, request.associationId);
  if (request.status !== 'OPEN' && request.status !== 'CLAIMED')
    throw new InvalidTransition('request', request.status, 'transferred');
  if (request.associationId === input.toAssociationId) return { jobIds: [] };
  const target = await tx.association.findUnique({ where: { id: input.toAssociationId }, select: { id: true } });
  if (!target) throw new NotFound('association');
  const jobIds: string[] = [];
  if (request.status === 'CLAIMED') {
    jobIds.push(
      (
        await changeRequestStatus(tx, request.id, {
          to: 'OPEN',
          actor: { type: 'STAFF', id: input.staff.id },
          assigneeId: null,
          expectFrom: ['CLAIMED'],
        })
      ).taskId,
    );
  }
  const moved = await tx.request.updateMany({
    where: { id: request.id, status: { in: ['OPEN', 'CLAIMED'] }, associationId: request.associationId },
    data: { associationId: input.toAssociationId, slackChannelId: null, slackTs: null },
  });
  if (moved.count !== 1) throw new InvalidTransition('request', request.status, 'transferred');
  await recordAudit(tx, {
    actorType: 'STAFF',
    actorId: input.staff.id,
    action: 'request.transferred',
    entityType: 'Request',
    entityId: request.id,
    associationId: request.associationId,
    data: { from: request.associationId, to: input.toAssociationId },
  });
  jobIds.push(
    await enqueueTask(tx, REQUEST_TRANSFERRED_TASK, {
      requestId: request.id,
      fromChannel: request.slackChannelId,
      fromTs: request.slackTs,
    }),
  );
  return { jobIds };
}
