import { recordAudit } from '../audit/auditTrail.js';
import type { Db, Tx } from '../db.js';
import { ContactUnreachable, InvalidTransition, NotFound } from '../errors.js';
import type { I18n } from '../i18n/i18n.js';
import type { DispatchableMessage } from '../outbound/outboxDispatcher.js';
import { formatAppointment, queueTextToContact } from '../outbound/queueTextToContact.js';
import { enqueueTask } from '../queue/enqueueTask.js';
import { REQUEST_TASKS } from '../requests/requestService.js';
import { assertCanActOnRequest, type StaffActor } from '../staff/staffAccess.js';
import { APPOINTMENT_SCHEDULED_TASK } from './followUpTasks.js';

/** The pick-up appointment of a request's device still waiting to be collected, for the reschedule form. */
export interface PendingAppointment {
  requestId: string;
  reference: string;
  associationId: string | null;
  appointmentAt: Date | null;
  place: string | null;
}

/** The active allocation's appointment of a request, or null when no device waits for the person. */
export async function pendingAppointment(db: Db | Tx, requestId: string): Promise<PendingAppointment | null> {
  const request = await db.request.findUnique({
    where: { id: requestId },
    select: {
      id: true,
      reference: true,
      associationId: true,
      allocations: { where: { status: 'ACTIVE' }, select: { appointmentAt: true, appointmentPlace: true }, take: 1 },
    },
  });
  const allocation = request?.allocations[0];
  if (!request || !allocation) return null;
  return {
    requestId: request.id,
    reference: request.reference,
    associationId: request.associationId,
    appointmentAt: allocation.appointmentAt,
    place: allocation.appointmentPlace,
  };
}

/**
 * Moves the pick-up appointment of a device waiting for a person: the allocation gets the new
 * date and place, the person is told in their language, the reminders not sent yet are
 * replaced (`appointment.scheduled`), the card is refreshed. Audited as `appointment.rescheduled`.
 */
export async function rescheduleAppointment(
  tx: Tx,
  i18n: I18n,
  input: { requestId: string; staff: StaffActor; at: Date; place: string; timeZone: string },
): Promise<{ message: DispatchableMessage; jobIds: string[] }> {
  const request = await tx.request.findUnique({
    where: { id: input.requestId },
    select: { id: true, reference: true, associationId: true, contactId: true, status: true },
  });
  if (!request) throw new NotFound('request');
  assertCanActOnRequest(input.staff, request);
  const allocation = await tx.allocation.findFirst({
    where: { requestId: request.id, status: 'ACTIVE' },
    select: { id: true },
  });
  if (!allocation) throw new InvalidTransition('request', request.status, 'rescheduled');
  if (!request.contactId) throw new ContactUnreachable();
  const moved = await tx.allocation.updateMany({
    where: { id: allocation.id, status: 'ACTIVE' },
    data: { appointmentAt: input.at, appointmentPlace: input.place },
  });
  if (moved.count !== 1) throw new InvalidTransition('request', request.status, 'rescheduled');
  await recordAudit(tx, {
    actorType: 'STAFF',
    actorId: input.staff.id,
    action: 'appointment.rescheduled',
    entityType: 'Request',
    entityId: request.id,
    associationId: request.associationId,
    data: { allocationId: allocation.id },
  });
  const contact = await tx.contact.findUnique({ where: { id: request.contactId }, select: { language: true } });
  const when = formatAppointment(input.at, contact?.language ?? 'en', input.timeZone);
  const message = await queueTextToContact(tx, i18n, {
    contactId: request.contactId,
    requestId: request.id,
    key: 'allocation:rescheduled',
    params: { reference: request.reference, date: when.date, time: when.time, place: input.place },
  });
  if (!message) throw new ContactUnreachable();
  const jobIds = [
    await enqueueTask(tx, APPOINTMENT_SCHEDULED_TASK, { allocationId: allocation.id }),
    await enqueueTask(tx, REQUEST_TASKS.changed, { requestId: request.id }),
  ];
  return { message, jobIds };
}
