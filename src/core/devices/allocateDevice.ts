import { recordAudit } from '../audit/auditTrail.js';
import type { Tx } from '../db.js';
import { ContactUnreachable, NotFound, RequestAlreadyServed, WrongRequestKind } from '../errors.js';
import type { I18n } from '../i18n/i18n.js';
import type { DispatchableMessage } from '../outbound/outboxDispatcher.js';
import { formatAppointment, queueTextToContact } from '../outbound/queueTextToContact.js';
import { enqueueTask } from '../queue/enqueueTask.js';
import { changeRequestStatus } from '../requests/requestService.js';
import { assertCanActOnRequest, type StaffActor } from '../staff/staffAccess.js';
import { moveDevice } from './deviceStatus.js';

/** Task the follow-ups domain implements: remind the person before their appointment. */
import { APPOINTMENT_SCHEDULED_TASK } from '../followUps/followUpTasks.js';

export interface AllocationInput {
  requestId: string;
  deviceId: string;
  staff: StaffActor;
  appointment?: { at: Date; place: string } | null;
  timeZone: string;
}

export interface AllocationResult {
  allocationId: string;
  message: DispatchableMessage;
  jobIds: string[];
}

/**
 * Gives one device of the association's stock to a phone request, in the caller's
 * transaction: the device moves IN_STOCK → ALLOCATED with a conditional update, the
 * allocation row holds the device and the request in unique columns, and the request moves
 * to ALLOCATED only from OPEN or CLAIMED. Of concurrent allocations of the same device (or
 * to the same request) exactly one commits; the others throw DeviceAlreadyAllocated,
 * RequestAlreadyServed or a P2002 unique violation (see allocationConflict). The person is
 * told when and where to collect it, in their language.
 */
export async function allocateDevice(tx: Tx, i18n: I18n, input: AllocationInput): Promise<AllocationResult> {
  const request = await tx.request.findUnique({
    where: { id: input.requestId },
    select: { id: true, kind: true, status: true, associationId: true, contactId: true, reference: true },
  });
  if (!request) throw new NotFound('request');
  assertCanActOnRequest(input.staff, request);
  if (request.kind !== 'PHONE') throw new WrongRequestKind('PHONE');
  if (request.status !== 'OPEN' && request.status !== 'CLAIMED') throw new RequestAlreadyServed();
  if (!request.contactId) throw new ContactUnreachable();
  const associationId = request.associationId ?? input.staff.associationId;

  await moveDevice(tx, input.deviceId, 'IN_STOCK', 'ALLOCATED', associationId);
  const allocation = await tx.allocation.create({
    data: {
      deviceId: input.deviceId,
      requestId: request.id,
      activeDeviceId: input.deviceId,
      activeRequestId: request.id,
      appointmentAt: input.appointment?.at ?? null,
      appointmentPlace: input.appointment?.place ?? null,
      allocatedById: input.staff.id,
    },
    select: { id: true },
  });
  const change = await changeRequestStatus(tx, request.id, {
    to: 'ALLOCATED',
    actor: { type: 'STAFF', id: input.staff.id },
    assigneeId: input.staff.id,
    expectFrom: ['OPEN', 'CLAIMED'],
  });
  // a triage request becomes the allocating association's request
  if (!request.associationId) await tx.request.update({ where: { id: request.id }, data: { associationId } });
  await recordAudit(tx, {
    actorType: 'STAFF',
    actorId: input.staff.id,
    action: 'device.allocated',
    entityType: 'Device',
    entityId: input.deviceId,
    associationId,
    data: { requestId: request.id, allocationId: allocation.id, appointment: Boolean(input.appointment) },
  });

  const contact = await tx.contact.findUnique({ where: { id: request.contactId }, select: { language: true } });
  const when = input.appointment
    ? formatAppointment(input.appointment.at, contact?.language ?? 'en', input.timeZone)
    : null;
  const message = await queueTextToContact(tx, i18n, {
    contactId: request.contactId,
    requestId: request.id,
    key: input.appointment ? 'allocation:appointment' : 'allocation:reserved',
    params:
      input.appointment && when
        ? { reference: request.reference, date: when.date, time: when.time, place: input.appointment.place }
        : { reference: request.reference },
  });
  if (!message) throw new ContactUnreachable();
  const jobIds = [change.taskId];
  if (input.appointment)
    jobIds.push(await enqueueTask(tx, APPOINTMENT_SCHEDULED_TASK, { allocationId: allocation.id }));
  return { allocationId: allocation.id, message, jobIds };
}
