import { recordAudit } from '../audit/auditTrail.js';
import type { Db, Tx } from '../db.js';
import { claimOnce } from '../idempotency/claimOnce.js';
import { Forbidden, InvalidTransition, NotFound, UnknownReference } from '../errors.js';
import { enqueueTask } from '../queue/enqueueTask.js';
import { assertCanActOnRequest, type StaffActor } from '../staff/staffAccess.js';
import { changeRequestStatus, REQUEST_TASKS } from './requestService.js';

/** Task a staff channel implements: tell the assignee (Slack: a direct message). */
export const REQUEST_ASSIGNED_TASK = 'request.assigned';

/**
 * Only coordinators (of the request's association, or any while it is in triage) and admins assign requests to
 * colleagues.
 */
export function canAssign(staff: StaffActor): boolean {
  return staff.role === 'COORDINATOR' || staff.role === 'ADMIN';
}

/**
 * A coordinator gives a request to a colleague: an active staff member of the request's
 * association (of the coordinator's, for a triage request, which then becomes theirs). An
 * open request becomes claimed by the colleague; a claimed or allocated one changes hands.
 * Audited as `request.assigned`; the card is refreshed and the colleague told (`request.assigned`).
 */
export async function assignRequest(
  tx: Tx,
  input: { requestId: string; staff: StaffActor; assigneeSlackId: string },
): Promise<{ jobIds: string[]; assigneeId: string }> {
  if (!canAssign(input.staff)) throw new Forbidden('only coordinators assign a request to a colleague');
  const request = await tx.request.findUnique({
    where: { id: input.requestId },
    select: { id: true, status: true, associationId: true, assigneeId: true },
  });
  if (!request) throw new NotFound('request');
  assertCanActOnRequest(input.staff, request);
  if (!['OPEN', 'CLAIMED', 'ALLOCATED'].includes(request.status))
    throw new InvalidTransition('request', request.status, 'assigned');
  const associationId = request.associationId ?? input.staff.associationId;
  const assignee = await tx.staffMember.findUnique({
    where: { slackUserId: input.assigneeSlackId },
    select: { id: true, associationId: true, active: true },
  });
  if (!assignee?.active || assignee.associationId !== associationId) throw new UnknownReference('colleague');
  const jobIds: string[] = [];
  if (request.status === 'OPEN') {
    jobIds.push(
      (
        await changeRequestStatus(tx, request.id, {
          to: 'CLAIMED',
          actor: { type: 'STAFF', id: input.staff.id },
          assigneeId: assignee.id,
          expectFrom: ['OPEN'],
        })
      ).taskId,
    );
  } else {
    const moved = await tx.request.updateMany({
      where: { id: request.id, status: request.status },
      data: { assigneeId: assignee.id },
    });
    if (moved.count !== 1) throw new InvalidTransition('request', request.status, 'assigned');
    jobIds.push(await enqueueTask(tx, REQUEST_TASKS.changed, { requestId: request.id }));
  }
  if (!request.associationId) await tx.request.update({ where: { id: request.id }, data: { associationId } });
  await recordAudit(tx, {
    actorType: 'STAFF',
    actorId: input.staff.id,
    action: 'request.assigned',
    entityType: 'Request',
    entityId: request.id,
    associationId,
    data: { assigneeId: assignee.id, ...(request.assigneeId ? { previousAssigneeId: request.assigneeId } : {}) },
  });
  jobIds.push(
    await enqueueTask(tx, REQUEST_ASSIGNED_TASK, {
      requestId: request.id,
      assigneeId: assignee.id,
      byStaffId: input.staff.id,
    }),
  );
  return { jobIds, assigneeId: assignee.id };
}

/** What the assignee's message says: the request, who assigned it, where its card is. No details of the person. */
export interface AssignmentNotice {
  reference: string;
  kind: string;
  assigneeSlackId: string;
  assigneeLanguage: string;
  coordinatorSlackId: string;
  cardChannelId: string | null;
}

/**
 * Loads the assignment message of a request, or null when the assignee is no longer the one named (reassigned since) or
 * gone.
 */
export async function assignmentNotice(
  tx: Tx,
  input: { requestId: string; assigneeId: string; byStaffId: string },
): Promise<AssignmentNotice | null> {
  const [request, assignee, by] = await Promise.all([
    tx.request.findUnique({
      where: { id: input.requestId },
      select: { reference: true, kind: true, assigneeId: true, slackChannelId: true },
    }),
    tx.staffMember.findUnique({
      where: { id: input.assigneeId },
      select: { slackUserId: true, language: true, active: true },
    }),
    tx.staffMember.findUnique({ where: { id: input.byStaffId }, select: { slackUserId: true } }),
  ]);
  if (!request || request.assigneeId !== input.assigneeId || !assignee?.active || !by) return null;
  return {
    reference: request.reference,
    kind: request.kind,
    assigneeSlackId: assignee.slackUserId,
    assigneeLanguage: assignee.language,
    coordinatorSlackId: by.slackUserId,
    cardChannelId: request.slackChannelId,
  };
}

/**
 * Tells the assignee once: `post` runs in a transaction holding the assignment's idempotency
 * key (a retried task waits, then does nothing; a failed post records nothing and is retried).
 */
export async function tellAssigneeOnce(
  db: Db,
  input: { requestId: string; assigneeId: string; byStaffId: string; taskKey: string },
  post: (notice: AssignmentNotice) => Promise<void>,
): Promise<'told' | 'already told' | 'no longer assigned'> {
  return db.$transaction(
    async (tx) => {
      const notice = await assignmentNotice(tx, input);
      if (!notice) return 'no longer assigned';
      if (!(await claimOnce(tx, `assignment:told:${input.taskKey}`))) return 'already told';
      await post(notice);
      return 'told';
    },
    { maxWait: 10_000, timeout: 30_000 },
  );
}
