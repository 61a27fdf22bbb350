import { recordAudit } from '../audit/auditTrail.js';
import type { Tx } from '../db.js';
import { InvalidTransition, NotFound } from '../errors.js';
import { recordHandOverForDonors } from '../pledges/pledgeHandOver.js';
import { enqueueTask } from '../queue/enqueueTask.js';
import { changeRequestStatus } from '../requests/requestService.js';
import { assertCanActOnRequest, type StaffActor } from '../staff/staffAccess.js';
import { moveDevice } from './deviceStatus.js';

/** Task the follow-ups domain implements: schedule the check-ins after a hand-over. */
export const FOLLOWUPS_SCHEDULE_TASK = 'followups.schedule';

async function activeAllocation(tx: Tx, requestId: string, staff: StaffActor) {
  const request = await tx.request.findUnique({ where: { id: requestId }, select: { associationId: true } });
  if (!request) throw new NotFound('request');
  assertCanActOnRequest(staff, request);
  const allocation = await tx.allocation.findUnique({
    where: { activeRequestId: requestId },
    select: { id: true, deviceId: true, status: true },
  });
  if (allocation?.status !== 'ACTIVE')
    throw new InvalidTransition('allocation', allocation?.status ?? 'missing', 'HANDED_OVER');
  return { ...allocation, associationId: request.associationId };
}

/**
 * The person collected the device: allocation and device HANDED_OVER, request SERVED, and
 * the follow-up check-ins are scheduled. Conditional updates make a second click a refusal.
 */
export async function handOverDevice(
  tx: Tx,
  input: { requestId: string; staff: StaffActor },
): Promise<{ jobIds: string[] }> {
  const allocation = await activeAllocation(tx, input.requestId, input.staff);
  const updated = await tx.allocation.updateMany({
    where: { id: allocation.id, status: 'ACTIVE' },
    data: { status: 'HANDED_OVER', handedOverAt: new Date() },
  });
  if (updated.count !== 1) throw new InvalidTransition('allocation', 'HANDED_OVER', 'HANDED_OVER');
  await moveDevice(tx, allocation.deviceId, 'ALLOCATED', 'HANDED_OVER');
  const change = await changeRequestStatus(tx, input.requestId, {
    to: 'SERVED',
    actor: { type: 'STAFF', id: input.staff.id },
    expectFrom: ['ALLOCATED'],
  });
  await recordAudit(tx, {
    actorType: 'STAFF',
    actorId: input.staff.id,
    action: 'device.handed_over',
    entityType: 'Device',
    entityId: allocation.deviceId,
    associationId: allocation.associationId,
    data: { requestId: input.requestId, allocationId: allocation.id },
  });
  const followUps = await enqueueTask(tx, FOLLOWUPS_SCHEDULE_TASK, { requestId: input.requestId });
  const donors = await recordHandOverForDonors(tx, allocation.deviceId, { type: 'STAFF', id: input.staff.id });
  return { jobIds: [change.taskId, followUps, ...donors] };
}

/**
 * The appointment fell through: the device goes back to stock, the request back to CLAIMED
 * (still the volunteer's), and the unique slots are freed for a new allocation.
 */
export async function cancelAllocation(
  tx: Tx,
  input: { requestId: string; staff: StaffActor; closing?: boolean },
): Promise<{ jobIds: string[] }> {
  const allocation = await activeAllocation(tx, input.requestId, input.staff);
  const updated = await tx.allocation.updateMany({
    where: { id: allocation.id, status: 'ACTIVE' },
    data: { status: 'CANCELLED', cancelledAt: new Date(), activeDeviceId: null, activeRequestId: null },
  });
  if (updated.count !== 1) throw new InvalidTransition('allocation', 'CANCELLED', 'CANCELLED');
  await moveDevice(tx, allocation.deviceId, 'ALLOCATED', 'IN_STOCK');
  await recordAudit(tx, {
    actorType: 'STAFF',
    actorId: input.staff.id,
    action: 'device.allocation_cancelled',
    entityType: 'Device',
    entityId: allocation.deviceId,
    associationId: allocation.associationId,
    data: { requestId: input.requestId, allocationId: allocation.id },
  });
  if (input.closing) return { jobIds: [] };
  const change = await changeRequestStatus(tx, input.requestId, {
    to: 'CLAIMED',
    actor: { type: 'STAFF', id: input.staff.id },
    expectFrom: ['ALLOCATED'],
  });
  return { jobIds: [change.taskId] };
}
